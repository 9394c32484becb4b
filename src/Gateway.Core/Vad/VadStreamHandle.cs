namespace Gateway.Core.Vad;

/// <summary>A stream's membership in the <see cref="VadScheduler"/>; dispose to leave.</summary>
/// <remarks>
/// Dispose may be called from any thread, including from inside <see cref="IVadSink.OnWindow"/>; once it returns
/// the sink receives no further windows. Leaving does not disturb other streams.
/// </remarks>
public sealed class VadStreamHandle : IDisposable
{
    private readonly VadScheduler _scheduler;
    private readonly VadStream _stream;

    internal VadStreamHandle(VadScheduler scheduler, VadStream stream)
    {
        _scheduler = scheduler;
        _stream = stream;
        StartPosition = stream.Position;
    }

    /// <summary>Absolute position of the stream's first window (the ring's write position at registration).</summary>
    public long StartPosition { get; }

    /// <summary>Absolute position up to which audio has been classified and delivered to the sink.</summary>
    public long ClassifiedPosition => _stream.Position;

    /// <summary>
    /// Runs a tick now instead of at the next period, when the ring has just reached the sink's
    /// <see cref="IVadSink.PeekPosition"/> (no effect on a scheduler driven by <see cref="VadScheduler.RunOnce"/>).
    /// </summary>
    public void RequestTick() => _scheduler.RequestTick();

    public void Dispose()
    {
        if (!_stream.Removed)
        {
            _stream.MarkRemoved();
            _scheduler.Remove(_stream);
        }
    }
}
