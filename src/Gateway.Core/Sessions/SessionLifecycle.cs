namespace Gateway.Core.Sessions;

/// <summary>
/// A session's <see cref="SessionPhase"/> with its allowed transitions, thread-safe: the receive loop, the send loop,
/// timers and a shutdown all move it, and each transition happens once.
/// </summary>
internal sealed class SessionLifecycle
{
    private int _phase = (int)SessionPhase.Connected;

    public SessionPhase Phase => (SessionPhase)Volatile.Read(ref _phase);

    /// <summary>Audio is still taken (not closing, not ended).</summary>
    public bool TakesAudio => Phase <= SessionPhase.Streaming;

    public bool HasEnded => Phase == SessionPhase.Ended;

    /// <summary>Connected → Streaming.</summary>
    public bool TryStart() => Move(SessionPhase.Connected, SessionPhase.Streaming);

    /// <summary>Streaming → Detached: the transport dropped and the session may be resumed.</summary>
    public bool TryDetach() => Move(SessionPhase.Streaming, SessionPhase.Detached);

    /// <summary>Detached → Streaming: a client resumed.</summary>
    public bool TryReattach() => Move(SessionPhase.Detached, SessionPhase.Streaming);

    /// <summary>Connected or Streaming → Closing; false when already closing or ended.</summary>
    public bool TryClose() => Move(SessionPhase.Streaming, SessionPhase.Closing) || Move(SessionPhase.Connected, SessionPhase.Closing);

    /// <summary>Any phase → Ended, once; false for every later call (the first end's reason wins).</summary>
    public bool TryEnd() => Interlocked.Exchange(ref _phase, (int)SessionPhase.Ended) != (int)SessionPhase.Ended;

    private bool Move(SessionPhase from, SessionPhase to) =>
        Interlocked.CompareExchange(ref _phase, (int)to, (int)from) == (int)from;
}
