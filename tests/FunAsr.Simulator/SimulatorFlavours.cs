namespace FunAsr.Simulator;

/// <summary>CLI names of the flavours.</summary>
public static class SimulatorFlavours
{
    public const string Cpp2Pass = "funasr-2pass";
    public const string CppOffline = "funasr-offline";
    public const string Python = "funasr-python";

    public static string ToCliName(SimulatorFlavour flavour) => flavour switch
    {
        SimulatorFlavour.Cpp2Pass => Cpp2Pass,
        SimulatorFlavour.CppOffline => CppOffline,
        SimulatorFlavour.Python => Python,
        _ => throw new ArgumentOutOfRangeException(nameof(flavour)),
    };

    public static bool TryParse(string name, out SimulatorFlavour flavour)
    {
        switch (name)
        {
            case Cpp2Pass: flavour = SimulatorFlavour.Cpp2Pass; return true;
            case CppOffline: flavour = SimulatorFlavour.CppOffline; return true;
            case Python: flavour = SimulatorFlavour.Python; return true;
            default: flavour = default; return false;
        }
    }
}
