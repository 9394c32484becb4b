using Gateway.Core.Results;

namespace Gateway.Core.Sessions;

/// <summary>The session is configured and streaming may begin.</summary>
public sealed record ReadyEvent(string SessionId, StreamSettings Settings, DateTimeOffset ExpiresAt, int RingSamples) : ServerEvent
{
    /// <summary>Presenting it on <c>/v1/stream?resume=</c> continues this session after a drop; null when resume is off.</summary>
    public string? ResumeToken { get; init; }

    /// <summary>With <see cref="ResumeToken"/>: how long after a drop the session waits to be resumed (the client's retry deadline).</summary>
    public TimeSpan ResumeWindow { get; init; }

    /// <summary>The gateway instance serving the session (<c>Gateway:InstanceId</c>).</summary>
    public string? Instance { get; init; }

    /// <summary>Set on a resume: the input sample frame the server continues from (audio before it is skipped).</summary>
    public long? ResumedAt { get; init; }

    /// <summary>On a resume: finals the client had not received that are older than the replay log keeps (<see cref="SessionOptions.OutboxCapacity"/>); they cannot be replayed.</summary>
    public long FinalsLost { get; init; }
}
