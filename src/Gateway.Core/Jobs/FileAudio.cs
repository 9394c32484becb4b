using System.Buffers;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Gateway.Core.Audio;
using Gateway.Core.Segmentation;
using Gateway.Core.Vad;

namespace Gateway.Core.Jobs;

/// <summary>
/// One recording's path from decoded audio to finished segments: the decoder writes a bounded ring, the shared
/// <see cref="VadScheduler"/> classifies it unpaced (its per-tick catch-up limit keeps live streams' lag unharmed),
/// the same <see cref="Segmenter"/> as live speech cuts it, and each finished segment is copied out with its audio.
/// </summary>
/// <remarks>
/// One owner for the positions: the ring is released up to what the segmenter may still need (segments already
/// carry their audio). The decoder waits while the ring is full or <c>maxPending</c> segments wait for the
/// dispatcher, so memory stays bounded however slow the upstream is.
/// Concurrency: <see cref="WriteAsync"/> and <see cref="CompleteAsync"/> from the decoder (single producer);
/// <see cref="OnWindow"/> and the segment events from the VAD worker (or <see cref="CompleteAsync"/>'s flush, under
/// the segmenter's lock); <see cref="Segments"/> has a single reader that calls <see cref="Taken"/> per segment.
/// </remarks>
internal sealed class FileAudio : IVadSink, ISegmentListener, IDisposable
{
    private readonly AudioRing _ring;
    private readonly Segmenter _segmenter;
    private readonly VadStreamHandle _vad;
    private readonly Channel<PendingSegment> _segments = Channel.CreateUnbounded<PendingSegment>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _wake = new(0);
    private readonly int _maxPending;
    private long _audioEnd = long.MaxValue; // real samples, once decoding ended (the ring also holds the padding)
    private long _openStart = long.MaxValue; // the open segment's first sample: its audio is ours to hold until it closes
    private long _classified; // end of the last window the segmenter saw, published before the decoder is woken
    private int _pending;
    private int _waiting;

    public FileAudio(SegmenterSettings settings, VadScheduler vad, int maxPending)
    {
        // A segment stays in the ring until it closes: the longest one, plus the segmenter's 2 s look-back for a cut.
        _ring = new AudioRing((int)SegmentTime.ToSamples(settings.MaxSegmentMs + 4_000));
        _segmenter = new Segmenter(settings, this);
        _maxPending = maxPending;
        _vad = vad.Register(_ring, this, live: false); // read faster than real time: its backlog is not VAD lag
    }

    public ChannelReader<PendingSegment> Segments => _segments.Reader;

    /// <summary>Samples written so far (the decoded duration once <see cref="CompleteAsync"/> ran).</summary>
    public long Written => Math.Min(_ring.WritePosition, Volatile.Read(ref _audioEnd));

    /// <summary>Everything before this position is either in a segment already announced or silence.</summary>
    public long SegmentedPosition => Math.Min(Math.Min(_segmenter.OldestNeededPosition, Volatile.Read(ref _openStart)), Volatile.Read(ref _classified));

    /// <summary>Appends decoded PCM16LE, waiting for room in the ring and for the dispatcher to catch up.</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> pcm, CancellationToken cancellationToken)
    {
        var offset = 0;
        while (offset < pcm.Length)
        {
            var free = _ring.Capacity - _ring.Count;
            if (free == 0 || Volatile.Read(ref _pending) >= _maxPending)
            {
                await WaitAsync(() => _ring.Capacity - _ring.Count > 0 && Volatile.Read(ref _pending) < _maxPending, cancellationToken);
                continue;
            }

            var samples = MemoryMarshal.Cast<byte, short>(pcm.Span[offset..]);
            var accepted = _ring.Write(samples[..Math.Min(free, samples.Length)]);
            offset += accepted * sizeof(short);
        }
    }

    /// <summary>
    /// The input ended: pads the last partial window with silence, waits until VAD classified everything, closes
    /// the open segment and completes <see cref="Segments"/>.
    /// </summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        var end = _ring.WritePosition;
        Volatile.Write(ref _audioEnd, end);
        var pad = (int)((VadEngine.WindowSamples - (end % VadEngine.WindowSamples)) % VadEngine.WindowSamples);
        if (pad > 0)
        {
            await WriteAsync(new byte[pad * sizeof(short)], cancellationToken);
        }

        // Counted here, not by the scheduler's own position: that one moves only after OnWindow returned, so a
        // decoder woken by the last window could re-check too early and sleep for ever (no window follows the last).
        var padded = _ring.WritePosition;
        await WaitAsync(() => Volatile.Read(ref _classified) >= padded, cancellationToken);
        _segmenter.Flush();
        _segments.Writer.TryComplete();
    }

    /// <summary>Ends <see cref="Segments"/> with a failure (the decoder failed or was cancelled).</summary>
    public void Fail(Exception error) => _segments.Writer.TryComplete(error);

    /// <summary>The dispatcher took a segment off <see cref="Segments"/>.</summary>
    public void Taken()
    {
        Interlocked.Decrement(ref _pending);
        Wake();
    }

    public void OnWindow(long windowStart, float probability)
    {
        _segmenter.OnWindow(windowStart, probability);
        // Audio before what the segmenter still needs is either silence or inside a segment that carries its own copy.
        var needed = Math.Min(_segmenter.OldestNeededPosition, Volatile.Read(ref _openStart));
        _ring.Release(Math.Min(needed, windowStart + VadEngine.WindowSamples));
        Volatile.Write(ref _classified, windowStart + VadEngine.WindowSamples);
        Wake();
    }

    public void OnSpeechStarted(SpeechStart start) => Volatile.Write(ref _openStart, start.StartPosition);

    public void OnSpeechEnded(SpeechSegment segment)
    {
        Volatile.Write(ref _openStart, long.MaxValue);
        var audioEnd = Volatile.Read(ref _audioEnd);
        if (segment.EndPosition > audioEnd)
        {
            // The padding is not part of the recording.
            segment = segment with { EndPosition = audioEnd, SpeechEndPosition = Math.Min(segment.SpeechEndPosition, audioEnd) };
        }

        var samples = (int)segment.Samples;
        if (samples <= 0)
        {
            return;
        }

        var bytes = ArrayPool<byte>.Shared.Rent(samples * sizeof(short));
        _ring.CopyTo(segment.StartPosition, MemoryMarshal.Cast<byte, short>(bytes.AsSpan(0, samples * sizeof(short))));
        Interlocked.Increment(ref _pending);
        _segments.Writer.TryWrite(new PendingSegment(segment, bytes, samples * sizeof(short)));
    }

    public void Dispose()
    {
        _vad.Dispose();
        _segments.Writer.TryComplete();
        while (_segments.Reader.TryRead(out var left))
        {
            left.Dispose();
        }
    }

    private void Wake()
    {
        if (Interlocked.Exchange(ref _waiting, 0) == 1)
        {
            _wake.Release();
        }
    }

    /// <summary>Single waiter (the decoder): sleeps until <paramref name="condition"/> holds, re-checked at every wake-up.</summary>
    private async ValueTask WaitAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            Volatile.Write(ref _waiting, 1);
            if (condition())
            {
                return; // a stale release only makes a later wait re-check once
            }

            await _wake.WaitAsync(cancellationToken);
        }
    }
}
