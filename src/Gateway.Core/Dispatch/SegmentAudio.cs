using System.Buffers;
using System.Runtime.InteropServices;
using Gateway.Core.Audio;

namespace Gateway.Core.Dispatch;

/// <summary>
/// The audio of the segment being sent upstream, kept (PCM16LE bytes, pooled, grown by doubling) until its final is
/// out, so a failed attempt can be replayed from the start after the ring has moved on. Only segments in flight
/// hold one; an idle session holds nothing.
/// </summary>
/// <remarks>Used by the session's dispatcher loop only.</remarks>
internal sealed class SegmentAudio : IDisposable
{
    private const int InitialBytes = 16_000 * sizeof(short); // 1 s

    private byte[] _bytes = [];

    /// <summary>Bytes held: the segment's audio from its start.</summary>
    public int Length { get; private set; }

    /// <summary>Samples held.</summary>
    public long Samples => Length / sizeof(short);

    /// <summary>Copies <paramref name="count"/> samples from the ring at <paramref name="position"/> onto the end.</summary>
    public void Append(AudioRing ring, long position, int count)
    {
        var needed = Length + count * sizeof(short);
        if (needed > _bytes.Length)
        {
            // Amortised: the pool hands back an array of the doubled size, the old one goes back to it.
            var grown = ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Max(InitialBytes, _bytes.Length * 2)));
            _bytes.AsSpan(0, Length).CopyTo(grown);
            if (_bytes.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_bytes);
            }

            _bytes = grown;
        }

        ring.CopyTo(position, MemoryMarshal.Cast<byte, short>(_bytes.AsSpan(Length, count * sizeof(short))));
        Length = needed;
    }

    /// <summary>Bytes [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="count"/>) for sending.</summary>
    public ReadOnlyMemory<byte> Slice(int offset, int count) => _bytes.AsMemory(offset, count);

    public void Dispose()
    {
        if (_bytes.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_bytes);
            _bytes = [];
        }

        Length = 0;
    }
}
