using System.Globalization;
using Gateway.Upstream;
using Gateway.Upstream.Configuration;

namespace Gateway.Native.Clients;

/// <summary>
/// What <c>funasr_set_option</c> sets (keys in <see cref="OptionKeys"/>, funasr.h <c>FUNASR_OPT_*</c>). Immutable: a change
/// makes a new instance, and each URL's pool takes the instance current when it is created.
/// </summary>
internal sealed record NativeSettings
{
    public static NativeSettings Default { get; } = new();

    public string Flavour { get; init; } = FunAsrFlavours.TwoPass;

    /// <summary>Default <c>offline</c>, as the FunASR DLL asks: only the second-pass sentences come back, no online partials.</summary>
    public string Mode { get; init; } = "offline";

    public bool Itn { get; init; } = true;

    public string? PinnedThumbprint { get; init; }

    public bool AcceptAnyCertificate { get; init; }

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan AcquireTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan FinalTimeout { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan MaxUtteranceDuration { get; init; } = TimeSpan.FromMinutes(10);

    public TimeSpan IdleProbeAfter { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan IdleEvictAfter { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Connections per URL at most. Default 64: the DLL's callers run dozens of threads at once.</summary>
    public int MaxConnections { get; init; } = 64;

    public int MinIdle { get; init; }

    /// <summary>The new settings, or null when the key is unknown, the value does not parse, or the result is invalid.</summary>
    public NativeSettings? With(string key, string value)
    {
        var next = key switch
        {
            OptionKeys.Flavour => this with { Flavour = value },
            OptionKeys.Mode => this with { Mode = value },
            OptionKeys.Itn => Bool(value) is { } b ? this with { Itn = b } : null,
            OptionKeys.TlsPinnedThumbprint => this with { PinnedThumbprint = value.Length == 0 ? null : value },
            OptionKeys.TlsAcceptAny => Bool(value) is { } b ? this with { AcceptAnyCertificate = b } : null,
            OptionKeys.ConnectTimeoutMs => Ms(value) is { } t ? this with { ConnectTimeout = t } : null,
            OptionKeys.AcquireTimeoutMs => Ms(value) is { } t ? this with { AcquireTimeout = t } : null,
            OptionKeys.FinalTimeoutMs => Ms(value) is { } t ? this with { FinalTimeout = t } : null,
            OptionKeys.UtteranceTimeoutMs => Ms(value) is { } t ? this with { MaxUtteranceDuration = t } : null,
            OptionKeys.IdleProbeAfterMs => Ms(value) is { } t ? this with { IdleProbeAfter = t } : null,
            OptionKeys.ProbeTimeoutMs => Ms(value) is { } t ? this with { ProbeTimeout = t } : null,
            OptionKeys.IdleEvictAfterMs => Ms(value) is { } t ? this with { IdleEvictAfter = t } : null,
            OptionKeys.MaxConnections => Int(value) is { } n ? this with { MaxConnections = n } : null,
            OptionKeys.MinIdle => Int(value) is { } n ? this with { MinIdle = n } : null,
            _ => null,
        };
        // The library's own validator decides what is valid; a URL stands in for the real one.
        return next is not null && !new UpstreamOptionsValidator().Validate(null, next.ToOptions(new Uri("wss://localhost/"))).Failed ? next : null;
    }

    /// <summary>The pool options for one URL: a single endpoint.</summary>
    public UpstreamOptions ToOptions(Uri url)
    {
        var options = new UpstreamOptions
        {
            AcquireTimeout = AcquireTimeout,
            ConnectTimeout = ConnectTimeout,
            FinalTimeout = FinalTimeout,
            MaxUtteranceDuration = MaxUtteranceDuration,
            IdleProbeAfter = IdleProbeAfter,
            ProbeTimeout = ProbeTimeout,
            IdleEvictAfter = IdleEvictAfter,
            WavNamePrefix = "funasr",
        };
        var endpoint = new UpstreamEndpointOptions
        {
            Url = url.AbsoluteUri,
            Flavour = Flavour,
            Mode = Mode,
            Itn = Itn,
            MaxConnections = MaxConnections,
            MinIdle = Math.Min(MinIdle, MaxConnections),
        };
        endpoint.Tls.PinnedThumbprint = PinnedThumbprint;
        endpoint.Tls.AcceptAnyCertificate = AcceptAnyCertificate;
        options.Endpoints.Add(endpoint);
        return options;
    }

    /// <summary>Bytes per binary message: 100 ms for the C++ servers, one 60 ms online step for the Python server (upstream.md, audio framing).</summary>
    public int FrameBytes => Flavour == FunAsrFlavours.Python ? 1920 : 3200;

    private static bool? Bool(string v) => v switch
    {
        "1" or "true" or "yes" or "on" => true,
        "0" or "false" or "no" or "off" => false,
        _ => null,
    };

    private static int? Int(string v) => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static TimeSpan? Ms(string v) => Int(v) is { } n ? TimeSpan.FromMilliseconds(n) : null;
}
