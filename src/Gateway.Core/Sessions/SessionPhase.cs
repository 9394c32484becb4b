namespace Gateway.Core.Sessions;

/// <summary>Where a session is in its life. Moves forward: Connected → Streaming → Closing → Ended (any may skip ahead to Ended, Connected may go straight to Closing); the one way back is a resume, Detached → Streaming.</summary>
public enum SessionPhase
{
    /// <summary>Admitted; no audio and no start yet.</summary>
    Connected,

    /// <summary>Started: audio is taken into the ring.</summary>
    Streaming,

    /// <summary>The client's transport dropped; the session waits <see cref="SessionOptions.ResumeWindow"/> for it to resume (Resume/).</summary>
    Detached,

    /// <summary>The client's <c>close</c> or a shutdown: no more audio is taken; pending results are being delivered.</summary>
    Closing,

    /// <summary>The end was decided (reason and close code set); the send loop flushes and closes the socket.</summary>
    Ended,
}
