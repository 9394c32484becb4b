using System.Runtime.InteropServices;
using Gateway.Core.Audio;

namespace Gateway.UnitTests.Audio;

public sealed class FrameDecoderTests
{
    [Fact]
    public void Write_OddByteSplits_CarriesPartialSamplesIntoTheNextFrame()
    {
        var ring = new AudioRing(1024);
        var decoder = new FrameDecoder(AudioFormat.Pipeline, ring);
        short[] samples = [1, -2, 300, -32768, 32767];
        var bytes = MemoryMarshal.AsBytes(samples.AsSpan()).ToArray();

        decoder.Write(bytes.AsSpan(0, 3));
        Assert.Equal(1, decoder.PendingBytes);
        decoder.Write(bytes.AsSpan(3, 4));
        decoder.Write(bytes.AsSpan(7));

        var read = new short[5];
        ring.CopyTo(0, read);
        Assert.Equal(samples, read);
        Assert.Equal(0, decoder.PendingBytes);
    }

    [Fact]
    public void Write_StereoS16_DownMixesByAveraging()
    {
        var ring = new AudioRing(1024);
        var decoder = new FrameDecoder(new AudioFormat(AudioEncoding.PcmS16Le, 16_000, 2), ring);
        short[] interleaved = [1000, 3000, -2000, 2000, 32767, 32767];

        decoder.Write(MemoryMarshal.AsBytes(interleaved.AsSpan()));

        var read = new short[3];
        ring.CopyTo(0, read);
        Assert.Equal(new short[] { 2000, 0, 32767 }, read);
    }

    [Fact]
    public void Write_F32SplitMidSample_DecodesAndClampsOutOfRangeValues()
    {
        var ring = new AudioRing(1024);
        var decoder = new FrameDecoder(new AudioFormat(AudioEncoding.F32Le, 16_000, 1), ring);
        float[] samples = [0.5f, -0.25f, 3f, float.NaN];
        var bytes = MemoryMarshal.AsBytes(samples.AsSpan()).ToArray();

        decoder.Write(bytes.AsSpan(0, 6));
        decoder.Write(bytes.AsSpan(6));

        var read = new short[4];
        ring.CopyTo(0, read);
        Assert.Equal(new short[] { 16384, -8192, 32767, 0 }, read);
    }

    [Fact]
    public void Write_48kStereoSecond_Yields16kMonoSecond()
    {
        var ring = new AudioRing(32_768);
        var decoder = new FrameDecoder(new AudioFormat(AudioEncoding.F32Le, 48_000, 2), ring);
        var frame = new float[48_000 * 2];
        for (var i = 0; i < 48_000; i++)
        {
            frame[2 * i] = frame[2 * i + 1] = (float)(0.3 * Math.Sin(2 * Math.PI * 440 * i / 48_000));
        }

        var bytes = MemoryMarshal.AsBytes(frame.AsSpan()).ToArray();
        for (var i = 0; i < bytes.Length; i += 4_001)
        {
            decoder.Write(bytes.AsSpan(i, Math.Min(4_001, bytes.Length - i)));
        }

        Assert.InRange(ring.WritePosition, 16_000 - 2, 16_000 + 2);
    }

    [Fact]
    public void Write_RingFull_CountsDroppedSamples()
    {
        var ring = new AudioRing(16);
        var decoder = new FrameDecoder(AudioFormat.Pipeline, ring);

        decoder.Write(new byte[40]);

        Assert.Equal(16, ring.WritePosition);
        Assert.Equal(4, decoder.DroppedSamples);
        Assert.Equal(4, ring.OverflowSamples);
    }
    [Theory]
    [InlineData(AudioEncoding.Mulaw, new byte[] { 0xFF, 0x00, 0x80, 0x8F }, new short[] { 0, -32124, 32124, 16764 })]
    [InlineData(AudioEncoding.Alaw, new byte[] { 0xD5, 0x55, 0xAA, 0x2A }, new short[] { 8, -8, 32256, -32256 })]
    public void Write_G711_DecodesTheItuValues(AudioEncoding encoding, byte[] bytes, short[] expected)
    {
        var ring = new AudioRing(1024);
        var decoder = new FrameDecoder(new AudioFormat(encoding, 16_000, 1), ring);

        decoder.Write(bytes);

        var read = new short[expected.Length];
        ring.CopyTo(0, read);
        Assert.Equal(expected, read);
    }

    [Fact]
    public void Write_S32SplitMidSample_KeepsTheTop16Bits()
    {
        var ring = new AudioRing(1024);
        var decoder = new FrameDecoder(new AudioFormat(AudioEncoding.S32Le, 16_000, 1), ring);
        int[] samples = [int.MaxValue, int.MinValue, 100 << 16, -(7 << 16)];
        var bytes = MemoryMarshal.AsBytes(samples.AsSpan()).ToArray();

        decoder.Write(bytes.AsSpan(0, 5));
        decoder.Write(bytes.AsSpan(5));

        var read = new short[4];
        ring.CopyTo(0, read);
        Assert.Equal(new short[] { 32767, -32768, 100, -7 }, read);
    }
}
