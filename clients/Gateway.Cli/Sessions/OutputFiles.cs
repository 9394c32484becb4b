namespace Gateway.Cli.Sessions;

/// <summary>Where the transcript goes (each optional).</summary>
internal sealed record OutputFiles(string? Srt, string? Vtt, string? Json);
