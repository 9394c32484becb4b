namespace Gateway.Upstream;

/// <summary>Names of the FunASR server flavours an endpoint can be (configuration values of <c>Upstream:Endpoints:n:Flavour</c>).</summary>
public static class UpstreamFlavours
{
    /// <summary>C++ realtime 2pass server (<c>funasr-wss-server-2pass</c>). The default.</summary>
    public const string TwoPass = "funasr-2pass";

    /// <summary>C++ offline file-transcription server (<c>funasr-wss-server</c>).</summary>
    public const string Offline = "funasr-offline";

    /// <summary>Python demo server (<c>funasr_wss_server.py</c>).</summary>
    public const string Python = "funasr-python";

    public static readonly IReadOnlyList<string> All = [TwoPass, Offline, Python];
}
