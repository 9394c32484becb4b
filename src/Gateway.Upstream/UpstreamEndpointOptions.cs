namespace Gateway.Upstream;

/// <summary>One FunASR server (<c>Upstream:Endpoints:n</c>).</summary>
public sealed class UpstreamEndpointOptions
{
    /// <summary>Display name for logs and metrics. Default: the URL's authority.</summary>
    public string? Name { get; set; }

    /// <summary><c>ws://</c> or <c>wss://</c> URL. Required.</summary>
    public string Url { get; set; } = "";

    /// <summary>One of <see cref="FunAsrFlavours"/>. Default <c>funasr-2pass</c>.</summary>
    public string Flavour { get; set; } = FunAsrFlavours.TwoPass;

    /// <summary>Requested mode: <c>2pass</c>, <c>online</c> or <c>offline</c>. Default <c>2pass</c>.</summary>
    public string Mode { get; set; } = "2pass";

    /// <summary>Three ints, the middle non-zero. Empty means the default [5, 10, 5].</summary>
    public IList<int> ChunkSize { get; } = new List<int>();

    /// <summary>Python server: online decode every N messages. Default 10.</summary>
    public int ChunkInterval { get; set; } = 10;

    /// <summary>Inverse text normalisation. Default true.</summary>
    public bool Itn { get; set; } = true;

    /// <summary>
    /// Connections to this server at most; the pool opens them on demand and closes idle ones after IdleEvictAfter.
    /// Default 128: 300 real-time streams at 20 % talk use about 92 (docs/benchmarks.md), so they never queue.
    /// </summary>
    public int MaxConnections { get; set; } = 128;

    /// <summary>Connections opened at start and kept open while idle. Default 0.</summary>
    public int MinIdle { get; set; }

    /// <summary>Certificate trust for wss://.</summary>
    public UpstreamTlsOptions Tls { get; } = new();
}
