namespace Gateway.Cli.Sessions;

/// <summary>How a session ended, with its exit code and the name written in the JSON output.</summary>
internal sealed record Outcome(string Name, int ExitCode, string? Detail = null)
{
    public static readonly Outcome Completed = new("completed", ExitCodes.Ok);

    public static readonly Outcome Stopped = new("stopped", ExitCodes.Ok);

    public static Outcome Wait(string detail) => new("wait", ExitCodes.Wait, detail);

    public static Outcome Error(string detail) => new("error", ExitCodes.Error, detail);

    public static Outcome Disconnect(string detail) => new("disconnect", ExitCodes.Disconnect, detail);

    public static Outcome CannotConnect(string detail) => new("cannot_connect", ExitCodes.CannotConnect, detail);

    public static Outcome ResumeFailed(string detail) => new("resume_failed", ExitCodes.ResumeFailed, detail);

    public static Outcome Ffmpeg(string detail) => new("ffmpeg_failed", ExitCodes.Ffmpeg, detail);
}
