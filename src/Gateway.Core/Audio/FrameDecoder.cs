using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Gateway.Core.Audio;

/// <summary>
/// Turns a client's audio frames of any size into 16 kHz mono PCM16 in the session's <see cref="AudioRing"/>:
/// decode, down-mix, band-limited resample. A partial sample frame at the end of one message is carried into
/// the next, so clients may split audio anywhere.
/// </summary>
/// <remarks>
/// Not thread-safe: owned by the session's receive loop. Scratch buffers are allocated once, at construction,
/// and only when the format needs them; 16 kHz mono PCM16 goes straight into the ring.
/// </remarks>
internal sealed class FrameDecoder
{
    private const int ChunkFrames = 1024;
    private const float Int32Scale = 1f / 2147483648f;

    private readonly AudioFormat _format;
    private readonly AudioRing _ring;
    private readonly Resampler? _resampler;
    private readonly float[]? _mono;
    private readonly float[]? _resampled;
    private readonly short[]? _pcm;
    private readonly byte[] _carry = new byte[8];
    private int _carryCount;
    private long _frames;

    public FrameDecoder(AudioFormat format, AudioRing ring)
    {
        _format = format;
        _ring = ring;
        if (!IsPassThrough)
        {
            _mono = new float[ChunkFrames];
            if (format.SampleRate != AudioFormat.PipelineRate)
            {
                _resampler = new Resampler(format.SampleRate, AudioFormat.PipelineRate, ChunkFrames);
                _resampled = new float[_resampler.MaxOutput(ChunkFrames)];
            }

            _pcm = new short[Math.Max(ChunkFrames, _resampled?.Length ?? 0)];
        }
    }

    /// <summary>Bytes of an incomplete sample frame waiting for the next message.</summary>
    public int PendingBytes => _carryCount;

    /// <summary>Whole input sample frames taken (decoded into the ring or reported dropped); read from any thread.</summary>
    public long FramesIn => Volatile.Read(ref _frames);

    /// <summary>Forgets an incomplete frame: after a drop the client resends from a whole frame.</summary>
    public void DiscardPending() => _carryCount = 0;

    /// <summary>Samples (16 kHz) the ring refused because it was full, summed over this decoder's life.</summary>
    public long DroppedSamples { get; private set; }

    private bool IsPassThrough =>
        _format.Encoding == AudioEncoding.PcmS16Le && _format.Channels == 1 && _format.SampleRate == AudioFormat.PipelineRate;

    /// <summary>Upper bound of the 16 kHz samples that <see cref="Write"/> produces for <paramref name="bytes"/> more bytes.</summary>
    public int MaxSamples(int bytes)
    {
        long frames = (_carryCount + bytes) / _format.FrameBytes;
        var chunks = frames / ChunkFrames + 1;
        return (int)(frames * AudioFormat.PipelineRate / _format.SampleRate + 2 * chunks);
    }

    /// <summary>Decodes one message (or part of one) and appends the result to the ring.</summary>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        var frameBytes = _format.FrameBytes;
        if (_carryCount > 0)
        {
            var need = Math.Min(frameBytes - _carryCount, bytes.Length);
            bytes[..need].CopyTo(_carry.AsSpan(_carryCount));
            _carryCount += need;
            bytes = bytes[need..];
            if (_carryCount < frameBytes)
            {
                return;
            }

            DecodeWhole(_carry.AsSpan(0, frameBytes));
            _carryCount = 0;
            Volatile.Write(ref _frames, _frames + 1);
        }

        var whole = bytes.Length - bytes.Length % frameBytes;
        DecodeWhole(bytes[..whole]);
        Volatile.Write(ref _frames, _frames + whole / frameBytes);
        bytes[whole..].CopyTo(_carry);
        _carryCount = bytes.Length - whole;
    }

    private void DecodeWhole(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        if (IsPassThrough)
        {
            Append(MemoryMarshal.Cast<byte, short>(bytes));
            return;
        }

        var frameBytes = _format.FrameBytes;
        var chunkBytes = ChunkFrames * frameBytes;
        while (!bytes.IsEmpty)
        {
            var take = Math.Min(chunkBytes, bytes.Length);
            var frames = ToMono(bytes[..take], _mono);
            bytes = bytes[take..];
            ReadOnlySpan<float> pipeline = _mono.AsSpan(0, frames);
            if (_resampler is not null)
            {
                var produced = _resampler.Process(pipeline, _resampled);
                pipeline = _resampled.AsSpan(0, produced);
            }

            var pcm = _pcm.AsSpan(0, pipeline.Length);
            PcmConvert.ToInt16(pipeline, pcm);
            Append(pcm);
        }
    }

    private void Append(ReadOnlySpan<short> samples)
    {
        var accepted = _ring.Write(samples);
        DroppedSamples += samples.Length - accepted;
    }

    /// <summary>Decodes whole frames to mono float, averaging channels.</summary>
    private int ToMono(ReadOnlySpan<byte> bytes, Span<float> mono)
    {
        var channels = _format.Channels;
        var frames = bytes.Length / _format.FrameBytes;
        var scale = 1f / channels;
        switch (_format.Encoding)
        {
            case AudioEncoding.PcmS16Le:
                var s16 = MemoryMarshal.Cast<byte, short>(bytes);
                for (var f = 0; f < frames; f++)
                {
                    float sum = 0;
                    for (var c = 0; c < channels; c++)
                    {
                        sum += s16[f * channels + c];
                    }

                    mono[f] = sum * scale / 32768f;
                }

                break;
            case AudioEncoding.F32Le:
                for (var f = 0; f < frames; f++)
                {
                    float sum = 0;
                    for (var c = 0; c < channels; c++)
                    {
                        var v = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice((f * channels + c) * 4, 4));
                        sum += float.IsFinite(v) ? Math.Clamp(v, -1f, 1f) : 0f;
                    }

                    mono[f] = sum * scale;
                }

                break;
            case AudioEncoding.U8:
                for (var f = 0; f < frames; f++)
                {
                    float sum = 0;
                    for (var c = 0; c < channels; c++)
                    {
                        sum += bytes[f * channels + c] - 128;
                    }

                    mono[f] = sum * scale / 128f;
                }

                break;
            case AudioEncoding.S32Le:
                var s32 = MemoryMarshal.Cast<byte, int>(bytes);
                for (var f = 0; f < frames; f++)
                {
                    float sum = 0;
                    for (var c = 0; c < channels; c++)
                    {
                        sum += s32[f * channels + c] * Int32Scale;
                    }

                    mono[f] = sum * scale;
                }

                break;
            case AudioEncoding.Mulaw:
            case AudioEncoding.Alaw:
                // PERF: one 256-entry table lookup per sample (G711.cs; AudioDecodeBenchmarks).
                var table = G711.Table(_format.Encoding);
                for (var f = 0; f < frames; f++)
                {
                    float sum = 0;
                    for (var c = 0; c < channels; c++)
                    {
                        sum += table[bytes[f * channels + c]];
                    }

                    mono[f] = sum * scale;
                }

                break;
        }

        return frames;
    }
}
