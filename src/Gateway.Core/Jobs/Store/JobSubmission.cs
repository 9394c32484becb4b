namespace Gateway.Core.Jobs.Store;

/// <summary>What a client asked for when it submitted a recording.</summary>
public sealed record JobSubmission
{
    public required string FileName { get; init; }

    public string? ContentType { get; init; }

    /// <summary>Recorded with the job and echoed back; the FunASR upstream's language is its model's.</summary>
    public string? Language { get; init; }

    public IReadOnlyDictionary<string, int>? Hotwords { get; init; }

    /// <summary>Among queued jobs, higher first (then oldest first). Default 0.</summary>
    public int Priority { get; init; }

    /// <summary>Where the result is POSTed when the job ends (checked by the outbound URL policy).</summary>
    public string? CallbackUrl { get; init; }

    /// <summary>Output formats the client expects (srt, vtt, txt, json); all are always available.</summary>
    public IReadOnlyList<string> Formats { get; init; } = ["json"];
}
