using System.Runtime.InteropServices;
using Gateway.Native.Clients;
using Gateway.Native.Errors;
using Gateway.Native.Interop;

namespace Gateway.Native.Exports;

internal static unsafe partial class FunAsrExports
{
    /// <summary><c>int funasr_init(void)</c>: 0. Idempotent; a request without it initialises the library (as the DLL does).</summary>
    [UnmanagedCallersOnly(EntryPoint = "funasr_init")]
    public static int Init()
    {
        try
        {
            ClientRegistry.Init();
            LastError.Set(FunAsrStatus.Ok);
            return 0;
        }
        catch (Exception)
        {
            return FailInt(FunAsrStatus.Internal);
        }
    }

    /// <summary><c>void funasr_cleanup(void)</c>: closes every pooled connection and resets the counters; options are kept.</summary>
    [UnmanagedCallersOnly(EntryPoint = "funasr_cleanup")]
    public static void Cleanup()
    {
        try
        {
            ClientRegistry.Cleanup();
            LastError.Set(FunAsrStatus.Ok);
        }
        catch (Exception)
        {
            LastError.Set(FunAsrStatus.Internal);
        }
    }

    /// <summary><c>int funasr_set_option(const char* key, const char* value)</c>: 0, or -1 with BAD_OPTION / NULL_ARGUMENT.</summary>
    [UnmanagedCallersOnly(EntryPoint = "funasr_set_option")]
    public static int SetOption(byte* key, byte* value)
    {
        try
        {
            if (NativeStrings.Read(key) is not { } k || NativeStrings.Read(value) is not { } v)
            {
                return FailInt(FunAsrStatus.NullArgument);
            }

            if (!ClientRegistry.SetOption(k, v))
            {
                return FailInt(FunAsrStatus.BadOption);
            }

            LastError.Set(FunAsrStatus.Ok);
            return 0;
        }
        catch (Exception)
        {
            return FailInt(FunAsrStatus.Internal);
        }
    }

    /// <summary><c>uint32_t funasr_last_error(void)</c>: the calling thread's status of its last call.</summary>
    [UnmanagedCallersOnly(EntryPoint = "funasr_last_error")]
    public static uint GetLastError() => (uint)LastError.Value;

    /// <summary><c>void funasr_free(const char* ptr)</c>: frees a string this library returned; NULL and foreign pointers are no-ops.</summary>
    [UnmanagedCallersOnly(EntryPoint = "funasr_free")]
    public static void Free(byte* ptr)
    {
        try
        {
            ResultStrings.Free(ptr);
        }
        catch (Exception)
        {
            // Nothing to report through: funasr_free leaves the last error alone, and must never take the host down.
        }
    }
}
