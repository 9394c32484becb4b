namespace Gateway.Core.Protocols.Native;

/// <summary>The <c>type</c> values of client → server messages.</summary>
public static class NativeMessageTypes
{
    public const string Start = "start";
    public const string Finalize = "finalize";
    public const string Close = "close";
}
