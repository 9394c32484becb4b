using System.Buffers;
using System.Runtime.InteropServices;
using Gateway.Core.Audio;

namespace Gateway.Core.Dispatch;

/// <summary>
/// A segment's own audio (PCM16LE bytes), copied out of the session's ring as the VAD classifies it, so waiting for
/// an upstream never holds the ring, and kept until the segment's final or error is out so a failed attempt can be
/// replayed from its start. Pooled 1 s chunks that never move: the dispatcher sends from a chunk while the VAD
/// appends to a later one. Only segments that are open or pending hold one; an idle session holds nothing.
/// </summary>
/// <remarks>
/// Concurrency: one appender (the VAD worker, or a flush, under the pipeline's lock), one reader (the session's
/// dispatcher); <see cref="Length"/> is published after the copy. <see cref="Dispose"/> only once neither runs.
/// </remarks>
internal sealed class SegmentAudio : IDisposable
{
    /// <summary>One second per chunk: a 20 s segment is 20 rents, a pause between words none.</summary>
    public const int ChunkBytes = 16_000 * sizeof(short);

    private readonly Lock _chunksLock = new();
    private readonly List<byte[]> _chunks = [];
    private int _length;

    /// <summary>Bytes held: the segment's audio from its start.</summary>
    public int Length => Volatile.Read(ref _length);

    /// <summary>Samples held.</summary>
    public long Samples => Length / sizeof(short);

    /// <summary>Copies <paramref name="count"/> samples from the ring at <paramref name="position"/> onto the end.</summary>
    public void Append(AudioRing ring, long position, int count)
    {
        var length = _length;
        while (count > 0)
        {
            var offset = length % ChunkBytes;
            if (offset == 0 && length / ChunkBytes == _chunks.Count)
            {
                var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
                lock (_chunksLock)
                {
                    _chunks.Add(chunk);
                }
            }

            var samples = Math.Min(count, (ChunkBytes - offset) / sizeof(short));
            var target = _chunks[length / ChunkBytes].AsSpan(offset, samples * sizeof(short));
            ring.CopyTo(position, MemoryMarshal.Cast<byte, short>(target));
            position += samples;
            count -= samples;
            length += samples * sizeof(short);
        }

        Volatile.Write(ref _length, length); // publish after the copy
    }

    /// <summary>Up to <paramref name="count"/> bytes from <paramref name="offset"/>, never across a chunk boundary.</summary>
    public ReadOnlyMemory<byte> Slice(int offset, int count)
    {
        byte[] chunk;
        lock (_chunksLock)
        {
            chunk = _chunks[offset / ChunkBytes];
        }

        var within = offset % ChunkBytes;
        return chunk.AsMemory(within, Math.Min(count, ChunkBytes - within));
    }

    public void Dispose()
    {
        lock (_chunksLock)
        {
            foreach (var chunk in _chunks)
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }

            _chunks.Clear();
        }

        _length = 0;
    }
}
