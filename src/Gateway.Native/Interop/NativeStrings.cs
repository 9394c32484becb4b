using System.Runtime.InteropServices;

namespace Gateway.Native.Interop;

/// <summary>Strings across the C boundary: callers' NUL-terminated UTF-8 in (results go out through ResultStrings).</summary>
internal static unsafe class NativeStrings
{
    /// <summary>Decodes a caller's NUL-terminated UTF-8 string; null for a NULL pointer.</summary>
    public static string? Read(byte* s) => s == null ? null : Marshal.PtrToStringUTF8((nint)s);
}
