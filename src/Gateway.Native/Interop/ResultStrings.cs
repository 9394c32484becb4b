using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;

namespace Gateway.Native.Interop;

/// <summary>
/// The strings funasr_pcm returns: NUL-terminated UTF-8 from the C heap (malloc), tracked so that
/// <c>funasr_free</c> frees only what this library handed out.
/// </summary>
/// <remarks>
/// Why tracked: the FunASR DLL's README declares, for koffi, <c>funasr_pcm</c> returning <c>'str'</c> and
/// <c>funasr_free</c> taking <c>'str'</c>. koffi then copies the result into a JS string and later passes
/// <c>funasr_free</c> a temporary copy of it, not our pointer: a plain <c>free</c> would abort the process
/// (glibc "invalid pointer") and our string would leak. So a pointer we never returned is not freed; instead, when
/// its text equals a string this thread received and has not freed, that one is freed (a C caller that follows the
/// contract never passes a foreign pointer, so this path only runs for such bindings). Cost: one dictionary
/// insert and remove per request.
/// </remarks>
internal static unsafe class ResultStrings
{
    private const uint RecentPerThread = 16;

    private static readonly ConcurrentDictionary<nint, int> s_live = new();

    [ThreadStatic]
    private static nint[]? t_recent;

    [ThreadStatic]
    private static uint t_next;

    /// <summary>Strings returned and not yet freed (for tests and leak checks).</summary>
    public static int LiveCount => s_live.Count;

    public static byte* Allocate(string text)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        var p = (byte*)NativeMemory.Alloc((nuint)length + 1);
        Encoding.UTF8.GetBytes(text, new Span<byte>(p, length));
        p[length] = 0;
        s_live[(nint)p] = length;
        var recent = t_recent ??= new nint[RecentPerThread];
        recent[t_next++ % RecentPerThread] = (nint)p;
        return p;
    }

    public static void Free(byte* p)
    {
        if (p == null)
        {
            return;
        }

        if (s_live.TryRemove((nint)p, out _))
        {
            NativeMemory.Free(p);
            return;
        }

        if (t_recent is not { } recent)
        {
            return;
        }

        var text = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(p);
        // Newest first; unsigned so the index wraps with the counter.
        for (uint i = 1; i <= RecentPerThread; i++)
        {
            var candidate = recent[(t_next - i) % RecentPerThread];
            // TryRemove decides: a string freed meanwhile (by any thread) is never freed twice.
            if (candidate != 0 && s_live.TryGetValue(candidate, out var length) && length == text.Length &&
                new ReadOnlySpan<byte>((byte*)candidate, length).SequenceEqual(text) && s_live.TryRemove(candidate, out _))
            {
                NativeMemory.Free((void*)candidate);
                return;
            }
        }
    }
}
