namespace Gateway.Upstream;

/// <summary>The FunASR upstream pool (configuration section <c>Upstream</c>). Defaults are in the initialisers.</summary>
public sealed class UpstreamOptions
{
    public const string SectionName = "Upstream";

    /// <summary>The FunASR servers. At least one is required.</summary>
    public IList<UpstreamEndpointOptions> Endpoints { get; } = new List<UpstreamEndpointOptions>();

    /// <summary>Endpoint selection, one of <see cref="UpstreamSelectionPolicies"/>. Default <c>PowerOfTwoChoices</c>.</summary>
    public string SelectionPolicy { get; set; } = UpstreamSelectionPolicies.PowerOfTwoChoices;

    /// <summary>Longest wait for a free connection when every one is busy. Default 5 s.</summary>
    public TimeSpan AcquireTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Most utterances waiting for a connection per endpoint; beyond it a start fails at once. Default 1024.</summary>
    public int QueueLimit { get; set; } = 1024;

    /// <summary>TCP connect + TLS + WebSocket handshake. Default 5 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A connection idle this long is pinged before reuse. Default 30 s.</summary>
    public TimeSpan IdleProbeAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the pong to a probe may take. Default 2 s.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Idle connections beyond MinIdle are closed after this long. Default 5 min.</summary>
    public TimeSpan IdleEvictAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>From the end of input to the terminal message. Default 15 s.</summary>
    public TimeSpan FinalTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Longest utterance from start to terminal message; bounds every wait before the end of input. Default 10 min.</summary>
    public TimeSpan MaxUtteranceDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A connection is recycled after this many utterances (servers leak per connection, funasr.md §9). Default 10000.</summary>
    public int MaxUtterancesPerConnection { get; set; } = 10_000;

    /// <summary>Consecutive upstream failures that open an endpoint's circuit. Default 5.</summary>
    public int BreakerFailureThreshold { get; set; } = 5;

    /// <summary>
    /// After a circuit opens, the endpoint is probed (a connection attempt) after this delay, then at doubling
    /// intervals up to <see cref="RecoveryProbeMaxDelay"/>; the first success closes the circuit. The probe is the
    /// circuit's only trial (no utterance is let through on a timer), so this backoff is how long a circuit stays
    /// open, and a server that comes back is used again within about one interval. Default 250 ms.
    /// </summary>
    public TimeSpan RecoveryProbeInitialDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Longest interval between recovery probes. Default 2 s.</summary>
    public TimeSpan RecoveryProbeMaxDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Most distinct hotword sets an endpoint keeps idle connections (and their rendered config) for; connections are
    /// keyed by hotword set because the C++ servers compile hotwords once per connection. A connection released with
    /// one set more closes the idle connections of the least recently used other set; a set with no idle connection
    /// left is forgotten after <see cref="IdleEvictAfter"/>. Default 16.
    /// </summary>
    public int MaxHotwordSets { get; set; } = 16;

    /// <summary>The adaptive in-flight limit per endpoint (off by default).</summary>
    public UpstreamAdaptiveLimitOptions AdaptiveLimit { get; } = new();

    /// <summary>Largest reply accepted. Default 1 MiB.</summary>
    public int MaxMessageBytes { get; set; } = 1024 * 1024;

    /// <summary>Prefix of generated wav_name values (letters, digits, '-', '_'). Default <c>gw</c>.</summary>
    public string WavNamePrefix { get; set; } = "gw";
}
