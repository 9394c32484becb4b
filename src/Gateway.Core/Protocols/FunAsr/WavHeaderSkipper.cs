using System.Buffers.Binary;

namespace Gateway.Core.Protocols.FunAsr;

/// <summary>
/// FunASR's HTML5 client sends a <c>.wav</c> file's bytes as they are, header included, with
/// <c>wav_format:"PCM"</c>. When the first audio chunk of an utterance starts with a RIFF/WAVE header, every chunk
/// up to and including the <c>data</c> chunk's 8-byte header is skipped, across audio messages if need be.
/// </summary>
/// <remarks>
/// RIFF layout: <c>"RIFF" size:u32 "WAVE"</c>, then chunks <c>id:4cc size:u32 body[size] (pad to even)</c>;
/// samples follow the <c>"data"</c> chunk header. Used by the receive loop only.
/// </remarks>
internal sealed class WavHeaderSkipper
{
    /// <summary>A header longer than this is not a header we understand; stop skipping.</summary>
    private const long MaxHeaderBytes = 1 << 20;

    private readonly byte[] _chunkHeader = new byte[8];
    private State _state;
    private int _chunkHeaderLength;
    private long _skipBody;
    private long _skipped;

    private enum State
    {
        Off,
        Sniff,
        ChunkHeader,
        ChunkBody,
    }

    /// <summary>The next audio chunk starts an utterance: look for a header there.</summary>
    public void Arm()
    {
        _state = State.Sniff;
        _chunkHeaderLength = 0;
        _skipped = 0;
    }

    public void Disarm() => _state = State.Off;

    /// <summary>How many leading bytes of this audio chunk are header.</summary>
    public int Skip(ReadOnlySpan<byte> chunk)
    {
        if (_state == State.Off)
        {
            return 0;
        }

        var offset = 0;
        if (_state == State.Sniff)
        {
            if (chunk.Length < 12 || !chunk[..4].SequenceEqual("RIFF"u8) || !chunk[8..12].SequenceEqual("WAVE"u8))
            {
                _state = State.Off;
                return 0;
            }

            offset = 12;
            _state = State.ChunkHeader;
        }

        while (offset < chunk.Length && _state != State.Off)
        {
            if (_state == State.ChunkHeader)
            {
                var take = Math.Min(8 - _chunkHeaderLength, chunk.Length - offset);
                chunk.Slice(offset, take).CopyTo(_chunkHeader.AsSpan(_chunkHeaderLength));
                _chunkHeaderLength += take;
                offset += take;
                if (_chunkHeaderLength < 8)
                {
                    break;
                }

                _chunkHeaderLength = 0;
                if (_chunkHeader.AsSpan(0, 4).SequenceEqual("data"u8))
                {
                    _state = State.Off; // samples start here
                    break;
                }

                var size = BinaryPrimitives.ReadUInt32LittleEndian(_chunkHeader.AsSpan(4));
                _skipBody = size + (size & 1);
                _state = State.ChunkBody;
            }
            else
            {
                var take = (int)Math.Min(_skipBody, chunk.Length - offset);
                offset += take;
                _skipBody -= take;
                if (_skipBody == 0)
                {
                    _state = State.ChunkHeader;
                }
            }
        }

        _skipped += offset;
        if (_skipped > MaxHeaderBytes)
        {
            _state = State.Off;
        }

        return offset;
    }
}
