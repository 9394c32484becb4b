namespace Gateway.Upstream;

/// <summary>
/// The adaptive in-flight limit per endpoint (section <c>Upstream:AdaptiveLimit</c>): the utterances sent to an
/// endpoint at once are cut when its finals come late and grow back one by one while they come on time. Off by default.
/// </summary>
public sealed class UpstreamAdaptiveLimitOptions
{
    /// <summary>Turns the limit on. Off: every endpoint takes up to its MaxConnections utterances. Default false.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// A final later than this after the end of input (the end of speech was sent; the endpoint silence is not in it)
    /// means the server is behind and cuts the limit. Must be below FinalTimeout. Default 2 s.
    /// </summary>
    public TimeSpan LatencyThreshold { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The mildest cut: a late final sets the limit to the utterances in flight times threshold / latency, bounded to
    /// [0.5, BackoffRatio]. Between 0.5 and 1 (exclusive). Default 0.9.
    /// </summary>
    public double BackoffRatio { get; set; } = 0.9;
}
