using Gateway.Upstream;

namespace Gateway.Core.Protocols.FunAsr;

/// <summary>The FunASR-compatible endpoints. Section <c>FunAsrEndpoint</c>.</summary>
public sealed class FunAsrEndpointOptions
{
    public const string Section = "FunAsrEndpoint";

    /// <summary>
    /// The <c>is_final</c> value of the offline flavour's one result per end of speech. The reference server
    /// always sends <c>false</c>; current FunASR HTML5 file mode waits for <c>true</c>. Default false.
    /// </summary>
    public bool OfflineIsFinal { get; set; }

    /// <summary>
    /// The flavour for FunASR clients detected on the root path <c>/</c> (<c>funasr-2pass</c> or
    /// <c>funasr-offline</c>, the names of <see cref="FunAsrFlavours"/>). Default <c>funasr-2pass</c>.
    /// </summary>
    public string RootFlavour { get; set; } = FunAsrFlavours.TwoPass;
}
