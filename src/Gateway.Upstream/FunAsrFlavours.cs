namespace Gateway.Upstream;

/// <summary>
/// Configuration names of <see cref="FunAsrFlavour"/>, the same wherever a flavour is configured
/// (<c>Upstream:Endpoints:n:Flavour</c>, <c>FunAsrEndpoint:RootFlavour</c>) and in the simulator's <c>--flavour</c>.
/// </summary>
public static class FunAsrFlavours
{
    /// <summary>C++ realtime 2pass server (<c>funasr-wss-server-2pass</c>). The default.</summary>
    public const string TwoPass = "funasr-2pass";

    /// <summary>C++ offline file-transcription server (<c>funasr-wss-server</c>).</summary>
    public const string Offline = "funasr-offline";

    /// <summary>Python demo server (<c>funasr_wss_server.py</c>).</summary>
    public const string Python = "funasr-python";

    public static readonly IReadOnlyList<string> All = [TwoPass, Offline, Python];

    public static bool TryParse(string? name, out FunAsrFlavour flavour)
    {
        (var known, flavour) = name switch
        {
            TwoPass => (true, FunAsrFlavour.TwoPass),
            Offline => (true, FunAsrFlavour.Offline),
            Python => (true, FunAsrFlavour.Python),
            _ => (false, FunAsrFlavour.TwoPass),
        };
        return known;
    }

    public static string Name(FunAsrFlavour flavour) => flavour switch
    {
        FunAsrFlavour.Offline => Offline,
        FunAsrFlavour.Python => Python,
        _ => TwoPass,
    };
}
