namespace Gateway.Upstream.Protocol;

/// <summary>The server implementation behind an endpoint; it decides the terminal rule (funasr.md §4.4).</summary>
internal enum FunAsrFlavour
{
    /// <summary>C++ <c>funasr-wss-server-2pass</c>: terminal is <c>is_final:true</c>.</summary>
    TwoPass,

    /// <summary>C++ <c>funasr-wss-server</c>: terminal is the first message after the end of input.</summary>
    Offline,

    /// <summary>Python <c>funasr_wss_server.py</c>: terminal is the <c>is_end:true</c> acknowledgement.</summary>
    Python,
}
