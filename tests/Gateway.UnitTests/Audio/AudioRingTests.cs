using Gateway.Core.Audio;

namespace Gateway.UnitTests.Audio;

public sealed class AudioRingTests
{
    [Fact]
    public void Write_PastTheEnd_WrapsAroundAndReadsBackInOrder()
    {
        var ring = new AudioRing(8);
        ring.Write([1, 2, 3, 4, 5, 6]);
        ring.Release(5);
        ring.Write([7, 8, 9, 10, 11]); // positions 6..10 wrap over indices 6,7,0,1,2

        var read = new short[6];
        ring.CopyTo(5, read);

        Assert.Equal(new short[] { 6, 7, 8, 9, 10, 11 }, read);
        Assert.Equal(11, ring.WritePosition);
        Assert.Equal(6, ring.Count);
    }

    [Fact]
    public void Write_WhenFull_AcceptsWhatFitsAndCountsOverflow()
    {
        var ring = new AudioRing(4);
        var accepted = ring.Write([1, 2, 3, 4, 5, 6]);

        Assert.Equal(4, accepted);
        Assert.Equal(2, ring.OverflowSamples);
        var read = new short[4];
        ring.CopyTo(0, read);
        Assert.Equal(new short[] { 1, 2, 3, 4 }, read); // held audio is never overwritten

        ring.Release(2);
        Assert.Equal(2, ring.Write([7, 8, 9]));
        Assert.Equal(3, ring.OverflowSamples);
    }

    [Fact]
    public void CopyTo_ReleasedRange_Throws()
    {
        var ring = new AudioRing(8);
        ring.Write([1, 2, 3, 4]);
        ring.Release(2);

        Assert.Throws<ArgumentOutOfRangeException>(() => ring.CopyTo(1, new short[2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ring.CopyTo(3, new short[2]));
    }

    [Fact]
    public void CopyTo_Float_ConvertsAcrossTheWrap()
    {
        var ring = new AudioRing(4);
        ring.Write([0, 0, 0]);
        ring.Release(3);
        ring.Write([16384, -32768, 8192]);

        var read = new float[3];
        ring.CopyTo(3, read);

        Assert.Equal(new[] { 0.5f, -1f, 0.25f }, read);
    }

    [Fact]
    public void Capacity_IsRoundedUpToAPowerOfTwo()
    {
        Assert.Equal(16384, new AudioRing(10_000).Capacity);
    }

    [Fact(Timeout = 90_000)]
    public async Task WriteAndRelease_ConcurrentProducerAndConsumer_LoseAndReorderNothing()
    {
        var ring = new AudioRing(256);
        const int total = 200_000;
        var producer = Task.Run(() =>
        {
            Span<short> chunk = stackalloc short[37];
            var next = 0;
            while (next < total)
            {
                var n = Math.Min(chunk.Length, total - next);
                for (var i = 0; i < n; i++)
                {
                    chunk[i] = (short)(next + i);
                }

                var free = ring.Capacity - ring.Count;
                if (free == 0)
                {
                    Thread.Yield(); // let the consumer run: spinning on a full ring starves it on a loaded machine
                    continue;
                }

                n = Math.Min(n, free);
                next += ring.Write(chunk[..n]);
            }
        });
        var consumer = Task.Run(() =>
        {
            var buf = new short[53];
            long pos = 0;
            while (pos < total)
            {
                var n = (int)Math.Min(buf.Length, ring.WritePosition - pos);
                if (n == 0)
                {
                    Thread.Yield();
                    continue;
                }

                ring.CopyTo(pos, buf.AsSpan(0, n));
                for (var i = 0; i < n; i++)
                {
                    Assert.Equal((short)(pos + i), buf[i]);
                }

                pos += n;
                ring.Release(pos);
            }
        });

        await Task.WhenAll(producer, consumer).WaitAsync(TimeSpan.FromSeconds(80));
        Assert.Equal(0, ring.OverflowSamples);
    }
}
