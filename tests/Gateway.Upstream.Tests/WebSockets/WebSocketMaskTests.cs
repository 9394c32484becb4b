using Gateway.Upstream.WebSockets;

namespace Gateway.Upstream.Tests.WebSockets;

public class WebSocketMaskTests
{
    [Fact]
    public void CopyMasked_EveryLengthAndPhase_AgreesWithScalarTwin()
    {
        var random = new Random(6455);
        var source = new byte[4096 + 8];
        random.NextBytes(source);
        var simd = new byte[4096 + 8];
        var scalar = new byte[4096 + 8];
        for (var length = 0; length <= 4096; length++)
        {
            var offset = length % 5;
            var mask = (uint)random.Next() ^ ((uint)random.Next() << 16);
            for (var phase = 0; phase < 4; phase++)
            {
                var src = source.AsSpan(offset, length);
                WebSocketMask.CopyMasked(src, simd.AsSpan(offset), mask, phase);
                WebSocketMask.CopyMaskedScalar(src, scalar.AsSpan(offset), mask, phase);
                Assert.True(simd.AsSpan(offset, length).SequenceEqual(scalar.AsSpan(offset, length)), $"length {length}, phase {phase}");
            }
        }
    }

    [Fact]
    public void CopyMaskedScalar_KnownKey_MatchesRfcDefinition()
    {
        // RFC 6455 §5.7: "Hello" masked with 37 fa 21 3d is 7f 9f 4d 51 58.
        byte[] hello = "Hello"u8.ToArray();
        var output = new byte[5];
        WebSocketMask.CopyMasked(hello, output, 0x3d21fa37u, 0);
        Assert.Equal(new byte[] { 0x7f, 0x9f, 0x4d, 0x51, 0x58 }, output);
    }

    [Fact]
    public void CopyMasked_SplitAtAnyPoint_EqualsOnePass()
    {
        var source = new byte[300];
        new Random(1).NextBytes(source);
        var whole = new byte[300];
        WebSocketMask.CopyMasked(source, whole, 0xdeadbeef, 0);
        for (var split = 0; split <= 300; split += 7)
        {
            var pieces = new byte[300];
            WebSocketMask.CopyMasked(source.AsSpan(0, split), pieces, 0xdeadbeef, 0);
            WebSocketMask.CopyMasked(source.AsSpan(split), pieces.AsSpan(split), 0xdeadbeef, split & 3);
            Assert.Equal(whole, pieces);
        }
    }

    [Fact]
    public void Next_ManyMasks_AreNotAllEqual()
    {
        var masks = new MaskGenerator();
        var seen = new HashSet<uint>();
        for (var i = 0; i < 1000; i++)
        {
            seen.Add(masks.Next());
        }

        Assert.True(seen.Count > 990);
    }
}
