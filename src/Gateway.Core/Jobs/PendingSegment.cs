using System.Buffers;
using Gateway.Core.Segmentation;

namespace Gateway.Core.Jobs;

/// <summary>A finished segment of a recording and its audio (PCM16LE, pooled), copied out of the ring when VAD closed it.</summary>
internal sealed class PendingSegment : IDisposable
{
    private byte[]? _audio;

    public PendingSegment(SpeechSegment segment, byte[] audio, int length)
    {
        Segment = segment;
        _audio = audio;
        Length = length;
    }

    public SpeechSegment Segment { get; }

    public int Length { get; }

    public ReadOnlyMemory<byte> Audio => _audio.AsMemory(0, Length);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _audio, null) is { } audio)
        {
            ArrayPool<byte>.Shared.Return(audio);
        }
    }
}
