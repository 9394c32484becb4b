namespace Gateway.Core.Protocols.FunAsr;

/// <summary>The <c>mode</c> values clients request and the labels results carry (funasr.md §3.1, §4).</summary>
internal static class FunAsrModes
{
    public const string TwoPass = "2pass";
    public const string Online = "online";
    public const string Offline = "offline";

    public const string TwoPassOnline = "2pass-online";
    public const string TwoPassOffline = "2pass-offline";

    public static bool IsRequestable(string mode) => mode is TwoPass or Online or Offline;
}
