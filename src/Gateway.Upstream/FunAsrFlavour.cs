namespace Gateway.Upstream;

/// <summary>
/// A FunASR runtime server implementation (funasr.md §4.4). The one flavour type of the gateway: an upstream
/// endpoint is one (<c>Upstream:Endpoints:n:Flavour</c>, decides the terminal rule), and the FunASR client
/// endpoint impersonates one (<c>FunAsrEndpoint:RootFlavour</c> and the paths, <see cref="TwoPass"/> or
/// <see cref="Offline"/> only). Configuration names are in <see cref="FunAsrFlavours"/>.
/// </summary>
public enum FunAsrFlavour
{
    /// <summary>C++ <c>funasr-wss-server-2pass</c>: online deltas, offline sentences; terminal is <c>is_final:true</c>.</summary>
    TwoPass,

    /// <summary>C++ <c>funasr-wss-server</c>: exactly one result message per end of input, and that is the terminal.</summary>
    Offline,

    /// <summary>Python <c>funasr_wss_server.py</c>: terminal is the <c>is_end:true</c> acknowledgement.</summary>
    Python,
}
