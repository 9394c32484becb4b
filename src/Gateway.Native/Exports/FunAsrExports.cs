using Gateway.Native.Errors;
using Gateway.Native.Interop;

namespace Gateway.Native.Exports;

/// <summary>
/// The C API of libfunasr (funasr.h). Every export catches everything: an exception crossing an
/// [UnmanagedCallersOnly] boundary would kill the host process, so the worst a bug does is <see cref="FunAsrStatus.Internal"/>.
/// </summary>
/// <remarks>Thread-safe: any export may be called from any thread at once, except that <c>funasr_cleanup</c> must not race the others.</remarks>
internal static unsafe partial class FunAsrExports
{
    private static byte* Fail(FunAsrStatus status)
    {
        LastError.Set(status);
        return null;
    }

    private static int FailInt(FunAsrStatus status)
    {
        LastError.Set(status);
        return -1;
    }
}
