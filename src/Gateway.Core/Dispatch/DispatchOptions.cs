namespace Gateway.Core.Dispatch;

/// <summary>How speech segments are sent upstream and results returned. Section <c>Dispatch</c>.</summary>
public sealed class DispatchOptions
{
    public const string Section = "Dispatch";

    /// <summary>
    /// How long a segment may wait for an upstream to take it, counted from when it was spoken (its speech start;
    /// after a failed attempt, from the failure): a segment held through an outage is sent when an upstream is back
    /// within this time, else the client gets <c>upstream_unavailable</c> for it and the session goes on.
    /// Default 30 seconds.
    /// </summary>
    public TimeSpan SegmentDeadline { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts per segment (the first plus replays after an upstream failure). Default 3.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>At most one partial per session per interval; sentences are sent at once. Default 200 ms.</summary>
    public TimeSpan PartialInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Audio sent upstream per frame while speech goes on. Default 100 ms (3,200 bytes).</summary>
    public int ChunkMs { get; set; } = 100;

    /// <summary>
    /// Audio one session may hold while its upstream is failing or away, in seconds of speech (32,000 bytes each);
    /// a segment that would exceed it fails at once. 0 holds nothing: with the circuit open, segments fail fast.
    /// Default 120 s (3.84 MB).
    /// </summary>
    public double SessionHoldSeconds { get; set; } = 120;

    /// <summary>
    /// Audio all sessions together may hold while the upstream is failing or away, in bytes; a segment that would
    /// exceed it fails at once. Default 64 MiB (about 35 minutes of speech).
    /// </summary>
    public long GatewayHoldBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>A segment that waits this long for a connection tells its client (<c>queued</c>, with its position). Default 1 s.</summary>
    public TimeSpan QueuedNoticeAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// <c>/readyz</c> turns unhealthy when a segment has waited this long for an upstream and no final came back
    /// in that time either (the gateway takes audio it cannot transcribe). Default 10 s.
    /// </summary>
    public TimeSpan ReadinessStallAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Bytes of held audio one session may keep.</summary>
    internal long SessionHoldBytes => (long)(SessionHoldSeconds * 16_000 * sizeof(short));
}
