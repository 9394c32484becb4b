namespace Gateway.Core.Sessions;

/// <summary>Per-session resources and limits. Section <c>Sessions</c>.</summary>
public sealed class SessionOptions
{
    public const string Section = "Sessions";

    /// <summary>
    /// Audio each session can hold (16 kHz PCM16, preallocated at 32 KB per second): what VAD has not
    /// classified yet plus speech waiting for an upstream connection (3 to 600). Default 8 seconds (256 KB).
    /// </summary>
    public double RingSeconds { get; set; } = 8;

    /// <summary>Largest client message, text or binary, in bytes. Larger ones close the session with 1009. Default 1 MiB.</summary>
    public int MaxMessageBytes { get; set; } = 1 << 20;

    /// <summary>Server messages queued for a client that is not reading before it is dropped as a slow consumer. Default 256.</summary>
    public int OutboxCapacity { get; set; } = 256;

    /// <summary>How long the server waits for the client's close frame after sending its own. Default 2 seconds.</summary>
    public TimeSpan CloseGrace { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>At most one overflow report per session per interval. Default 1 second.</summary>
    public TimeSpan OverflowReportInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long the receive loop stops reading while the ring is full (the sender is slowed by TCP) before audio is
    /// dropped and reported as overflow. Default 10 seconds.
    /// </summary>
    public TimeSpan BackpressureTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Bound on a graceful close (pending results, then close). Segments still without a final when it runs out get
    /// an <c>upstream_unavailable</c> error each, so none is dropped silently. Default 10 seconds.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// On SIGTERM, <c>/readyz</c> turns unhealthy at once and the gateway keeps serving (and admitting) for this
    /// long before it stops admitting and drains, so a load balancer that polls readiness stops sending new clients
    /// first. Set it to the balancer's probe interval times its failure threshold (e.g. 10 s behind Kubernetes or
    /// haproxy with 5 s x 2). Default 0 (local runs stop at once).
    /// </summary>
    public TimeSpan PreStopDelay { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// How long a session whose client's connection dropped keeps its slot, its audio and its results, waiting for the
    /// client to resume with its token (docs/protocol.md, "Resume"), 0 to 10 minutes. Zero disables resume (a drop
    /// ends the session). Default 30 seconds.
    /// </summary>
    public TimeSpan ResumeWindow { get; set; } = TimeSpan.FromSeconds(30);
}
