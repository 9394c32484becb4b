namespace Gateway.Core.Sessions;

/// <summary>Where a session is in its life. Moves only forward: Connected → Streaming → Closing → Ended (any may skip ahead to Ended, Connected may go straight to Closing).</summary>
public enum SessionPhase
{
    /// <summary>Admitted; no audio and no start yet.</summary>
    Connected,

    /// <summary>Started: audio is taken into the ring.</summary>
    Streaming,

    /// <summary>The client's <c>close</c> or a shutdown: no more audio is taken; pending results are being delivered.</summary>
    Closing,

    /// <summary>The end was decided (reason and close code set); the send loop flushes and closes the socket.</summary>
    Ended,
}
