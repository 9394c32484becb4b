using Gateway.Cli.Protocol;

namespace Gateway.Cli.Sessions;

/// <summary>How one captioning session runs.</summary>
/// <param name="Speed">Pacing as a multiple of real time; 0 sends as fast as the gateway takes it.</param>
internal sealed record SessionOptions(
    Uri Server,
    StartMessage Start,
    double Speed,
    OutputFiles Outputs,
    bool Quiet,
    TimeSpan ConnectTimeout,
    TimeSpan DrainTimeout);
