using System.Runtime.InteropServices;

namespace Gateway.Native.Interop;

/// <summary>
/// <c>funasr_profile_t</c>, the FunASR DLL's layout: <c>calls</c> and cumulative microseconds per phase since
/// <c>funasr_init</c> (a mean is <c>us_x / calls</c>; docs/native.md says what each covers). Layout is ABI.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct FunAsrProfile
{
    public ulong Calls;
    public ulong UsTotal;
    public ulong UsPoolAcquire;
    public ulong UsConnect;
    public ulong UsSendConfig;
    public ulong UsSendAudio;
    public ulong UsSendEos;
    public ulong UsRecvFrame;
    public ulong UsJsonParse;
}
