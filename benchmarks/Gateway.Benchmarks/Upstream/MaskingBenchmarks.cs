using System.Net.WebSockets;
using System.Numerics;
using System.Reflection;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Gateway.Upstream.WebSockets;

namespace Gateway.Benchmarks.Upstream;

/// <summary>
/// Client masking of one payload into a send buffer: our fused copy+mask against a plain copy (the bandwidth
/// ceiling) and against the framework's two passes (copy into its buffer, then ManagedWebSocket.ApplyMask in place).
/// </summary>
[MemoryDiagnoser]
public class MaskingBenchmarks
{
    private delegate int ApplyMaskFn(Span<byte> toMask, int mask, int maskIndex);

    // The framework's own masking routine (internal), so the comparison is against the real thing.
    private static readonly ApplyMaskFn? FrameworkApplyMask = typeof(WebSocket).Assembly
        .GetType("System.Net.WebSockets.ManagedWebSocket")?
        .GetMethod("ApplyMask", BindingFlags.NonPublic | BindingFlags.Static, [typeof(Span<byte>), typeof(int), typeof(int)])?
        .CreateDelegate<ApplyMaskFn>();

    private byte[] _source = [];
    private byte[] _destination = [];
    private const uint Mask = 0x5a3c_e1f7;

    [Params(3200, 65536)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _source = new byte[Size];
        new Random(42).NextBytes(_source);
        _destination = new byte[Size + 64];
        if (FrameworkApplyMask is null)
        {
            Console.WriteLine("ManagedWebSocket.ApplyMask not found: Framework_CopyThenApplyMask uses a Vector<byte> re-implementation.");
        }
    }

    [Benchmark(Baseline = true)]
    public void PlainCopy() => _source.AsSpan().CopyTo(_destination);

    [Benchmark]
    public void Fused_CopyMasked() => WebSocketMask.CopyMasked(_source, _destination, Mask, 0);

    [Benchmark]
    public void Scalar_CopyMasked() => WebSocketMask.CopyMaskedScalar(_source, _destination, Mask, 0);

    [Benchmark]
    public int Framework_CopyThenApplyMask()
    {
        _source.AsSpan().CopyTo(_destination);
        var target = _destination.AsSpan(0, Size);
        return FrameworkApplyMask is { } apply ? apply(target, (int)Mask, 0) : VectorMask(target, Mask);
    }

    private static int VectorMask(Span<byte> data, uint mask)
    {
        var bytes = MemoryMarshal.Cast<byte, uint>(data[..(data.Length & ~3)]);
        var v = new Vector<uint>(mask);
        var i = 0;
        for (; i + Vector<uint>.Count <= bytes.Length; i += Vector<uint>.Count)
        {
            (new Vector<uint>(bytes[i..]) ^ v).CopyTo(bytes[i..]);
        }

        for (; i < bytes.Length; i++)
        {
            bytes[i] ^= mask;
        }

        return 0;
    }
}
