namespace Gateway.Core.Protocols.FunAsr;

/// <summary>
/// Which FunASR runtime server the endpoint impersonates. The flavour cannot be inferred from a client's config
/// (the C++ offline client sends no <c>mode</c>), so, as upstream does with two ports, each has its own path.
/// </summary>
public enum FunAsrFlavor
{
    /// <summary><c>funasr-wss-server-2pass</c>: online deltas, offline sentences, one <c>is_final:true</c> per end of speech.</summary>
    TwoPass,

    /// <summary><c>funasr-wss-server</c>: exactly one result message per end of speech.</summary>
    Offline,
}

/// <summary>Configuration names of <see cref="FunAsrFlavor"/>.</summary>
public static class FunAsrFlavorNames
{
    public const string TwoPass = "2pass";
    public const string Offline = "offline";

    public static bool TryParse(string? name, out FunAsrFlavor flavor)
    {
        flavor = name switch
        {
            TwoPass => FunAsrFlavor.TwoPass,
            Offline => FunAsrFlavor.Offline,
            _ => (FunAsrFlavor)(-1),
        };
        return Enum.IsDefined(flavor);
    }
}
