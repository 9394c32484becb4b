namespace FunAsr.Simulator;

/// <summary>Which FunASR runtime server the simulator impersonates (funasr.md §1).</summary>
public enum SimulatorFlavour
{
    /// <summary>C++ realtime server <c>funasr-wss-server-2pass</c>. CLI name <c>funasr-2pass</c>.</summary>
    Cpp2Pass,

    /// <summary>C++ file transcription server <c>funasr-wss-server</c>. CLI name <c>funasr-offline</c>.</summary>
    CppOffline,

    /// <summary>Python demo server <c>funasr_wss_server.py</c>. CLI name <c>funasr-python</c>.</summary>
    Python,
}
