namespace Gateway.Core.Resume;

/// <summary>What a token the registry knows stands for now.</summary>
internal enum TokenState
{
    /// <summary>Never issued here, or forgotten.</summary>
    Unknown,

    /// <summary>The session's current token: presenting it resumes the session.</summary>
    Live,

    /// <summary>Already used for a reconnect; the session has a newer token.</summary>
    Used,

    /// <summary>The session waited the whole resume window detached and ended.</summary>
    Expired,

    /// <summary>Issued by another gateway instance (the token names it): this one cannot resume it.</summary>
    OtherInstance,

    /// <summary>The session ended for another reason (the client closed, a limit, a shutdown).</summary>
    Ended,
}
