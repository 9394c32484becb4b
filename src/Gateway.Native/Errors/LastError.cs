namespace Gateway.Native.Errors;

/// <summary>The calling thread's last status (errno-like). NativeAOT runs an export on the caller's own thread, so [ThreadStatic] is per C thread.</summary>
internal static class LastError
{
    [ThreadStatic]
    private static FunAsrStatus t_status;

    public static FunAsrStatus Value => t_status;

    public static void Set(FunAsrStatus status) => t_status = status;
}
