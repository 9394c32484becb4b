using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Gateway.Upstream.WebSockets;

/// <summary>
/// Unpredictable frame masks (RFC 6455 §5.3 requires a strong source), drawn from the OS CSPRNG in batches.
/// Not thread-safe: one per connection, used under the connection's write lock.
/// </summary>
/// <remarks>PERF: one RandomNumberGenerator.Fill per 256 frames instead of one call per frame; see FrameSendBenchmarks.</remarks>
internal sealed class MaskGenerator
{
    private const int BatchSize = 256;
    private readonly uint[] _masks = new uint[BatchSize];
    private int _next = BatchSize;

    public uint Next()
    {
        if (_next == BatchSize)
        {
            RandomNumberGenerator.Fill(MemoryMarshal.AsBytes(_masks.AsSpan()));
            _next = 0;
        }

        return _masks[_next++];
    }
}
