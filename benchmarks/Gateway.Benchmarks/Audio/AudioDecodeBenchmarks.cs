using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Gateway.Core.Audio;

namespace Gateway.Benchmarks.Audio;

/// <summary>
/// Cost of taking one 20 ms client frame into the session ring: the pass-through path (16 kHz mono PCM16),
/// our polyphase path for 48 kHz stereo float32, and the naive way it replaces (allocate per frame, filter
/// at the input rate with a direct-form FIR of the same taps, then keep every third sample).
/// </summary>
[MemoryDiagnoser]
public class AudioDecodeBenchmarks
{
    private byte[] _pcm16Frame = null!;
    private byte[] _f32StereoFrame = null!;
    private FrameDecoder _passThrough = null!;
    private FrameDecoder _polyphase = null!;
    private AudioRing _ring16 = null!;
    private AudioRing _ring48 = null!;
    private NaiveDecoder _naive = null!;
    private byte[] _mulawFrame = null!;
    private byte[] _pcm8kFrame = null!;
    private FrameDecoder _mulaw = null!;
    private FrameDecoder _pcm8k = null!;
    private AudioRing _ring8a = null!;
    private AudioRing _ring8b = null!;

    [GlobalSetup]
    public void Setup()
    {
        var mono = new short[320];
        var stereo = new float[960 * 2];
        for (var i = 0; i < 960; i++)
        {
            stereo[2 * i] = stereo[2 * i + 1] = (float)(0.3 * Math.Sin(2 * Math.PI * 440 * i / 48_000));
        }

        for (var i = 0; i < mono.Length; i++)
        {
            mono[i] = (short)(3000 * Math.Sin(2 * Math.PI * 440 * i / 16_000));
        }

        _pcm16Frame = MemoryMarshal.AsBytes(mono.AsSpan()).ToArray();
        _f32StereoFrame = MemoryMarshal.AsBytes(stereo.AsSpan()).ToArray();
        _ring16 = new AudioRing(1 << 16);
        _ring48 = new AudioRing(1 << 16);
        _passThrough = new FrameDecoder(AudioFormat.Pipeline, _ring16);
        _polyphase = new FrameDecoder(new AudioFormat(AudioEncoding.F32Le, 48_000, 2), _ring48);
        _naive = new NaiveDecoder();

        // Telephony: 20 ms at 8 kHz, µ-law vs the same audio as PCM16 (both resampled to 16 kHz).
        var tone = new short[160];
        for (var i = 0; i < tone.Length; i++)
        {
            tone[i] = (short)(3000 * Math.Sin(2 * Math.PI * 440 * i / 8_000));
        }

        _pcm8kFrame = MemoryMarshal.AsBytes(tone.AsSpan()).ToArray();
        _mulawFrame = tone.Select(NAudio.Codecs.MuLawEncoder.LinearToMuLawSample).ToArray();
        _ring8a = new AudioRing(1 << 16);
        _ring8b = new AudioRing(1 << 16);
        _mulaw = new FrameDecoder(new AudioFormat(AudioEncoding.Mulaw, 8_000, 1), _ring8a);
        _pcm8k = new FrameDecoder(new AudioFormat(AudioEncoding.PcmS16Le, 8_000, 1), _ring8b);
    }

    [Benchmark(Description = "8k mono µ-law, 20 ms: table decode + resample")]
    public void Mulaw()
    {
        _mulaw.Write(_mulawFrame);
        _ring8a.Release(_ring8a.WritePosition);
    }

    [Benchmark(Description = "8k mono PCM16, 20 ms: resample")]
    public void Pcm8k()
    {
        _pcm8k.Write(_pcm8kFrame);
        _ring8b.Release(_ring8b.WritePosition);
    }

    [Benchmark(Description = "16k mono PCM16, 20 ms: pass-through")]
    public void PassThrough()
    {
        _passThrough.Write(_pcm16Frame);
        _ring16.Release(_ring16.WritePosition);
    }

    [Benchmark(Description = "48k stereo f32, 20 ms: polyphase (ours)")]
    public void Polyphase()
    {
        _polyphase.Write(_f32StereoFrame);
        _ring48.Release(_ring48.WritePosition);
    }

    [Benchmark(Baseline = true, Description = "48k stereo f32, 20 ms: naive FIR + decimate, allocating")]
    public short[] Naive() => _naive.Decode(_f32StereoFrame);

    /// <summary>The straightforward way: new arrays per frame, filter every input sample, discard 2 of 3 outputs.</summary>
    private sealed class NaiveDecoder
    {
        private readonly float[] _taps;
        private float[] _history;

        public NaiveDecoder()
        {
            var kernel = typeof(FrameDecoder).Assembly.GetType("Gateway.Core.Audio.ResamplerKernel")!
                .GetMethod("For")!.Invoke(null, [48_000, 16_000])!;
            var coefficients = (float[])kernel.GetType().GetProperty("Coefficients")!.GetValue(kernel)!;
            _taps = coefficients; // L = 1 for 48k → 16k: one phase, the whole prototype
            _history = new float[_taps.Length - 1];
        }

        public short[] Decode(byte[] frame)
        {
            var samples = new List<float>();
            for (var i = 0; i + 8 <= frame.Length; i += 8)
            {
                samples.Add((BitConverter.ToSingle(frame, i) + BitConverter.ToSingle(frame, i + 4)) / 2);
            }

            var input = _history.Concat(samples).ToArray();
            var filtered = new float[samples.Count];
            for (var n = 0; n < filtered.Length; n++)
            {
                float acc = 0;
                for (var k = 0; k < _taps.Length; k++)
                {
                    acc += _taps[k] * input[n + k];
                }

                filtered[n] = acc;
            }

            _history = input[^(_taps.Length - 1)..];
            var output = new short[filtered.Length / 3];
            for (var i = 0; i < output.Length; i++)
            {
                output[i] = (short)Math.Clamp(filtered[3 * i] * 32768f, short.MinValue, short.MaxValue);
            }

            return output;
        }
    }
}
