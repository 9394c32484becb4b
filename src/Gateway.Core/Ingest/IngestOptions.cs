namespace Gateway.Core.Ingest;

/// <summary>Server-side ingests (docs/ingest.md): what may be fetched, how many, and how a dropped source is retried.</summary>
public sealed class IngestOptions
{
    public const string Section = "Ingests";

    /// <summary>The schemes used when <see cref="AllowedSchemes"/> is not set.</summary>
    public static readonly string[] DefaultSchemes = ["rtsp", "rtsps", "rtmp", "rtmps", "srt", "http", "https"];

    /// <summary>Schemes a caller may ask for. Default <see cref="DefaultSchemes"/>; local protocols (file, concat, subfile, pipe, data) are never allowed.</summary>
    public string[]? AllowedSchemes { get; set; }

    /// <summary>
    /// Hosts a caller may ask for; empty (the default) allows any host that passes the address check. Which addresses
    /// pass is the gateway's one outbound rule (<c>Outbound:AllowPrivateNetworks</c>, <see cref="Net.AddressRanges"/>).
    /// </summary>
    public string[]? AllowedHosts { get; set; }

    /// <summary>Concurrent ingests, declared and API-created together. Default 16.</summary>
    public int MaxIngests { get; set; } = 16;

    /// <summary>The ffmpeg executable. Default <c>ffmpeg</c> (on PATH).</summary>
    public string FfmpegPath { get; set; } = "ffmpeg";

    /// <summary>No audio from ffmpeg for this long means the source stalled: ffmpeg is killed and the ingest reconnects. Default 10 s.</summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>First reconnect delay; doubled per consecutive failure, with jitter. Default 1 s.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound of a reconnect delay. Default 30 s.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Consecutive attempts without audio before the ingest is failed; 0 retries forever. Default 10.</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>Final cues kept for captions.vtt / .srt and the subtitle playlist. Default 2000.</summary>
    public int MaxCues { get; set; } = 2000;

    /// <summary>Length of one WebVTT segment of the HLS subtitle playlist. Default 6 s.</summary>
    public TimeSpan SubtitleSegment { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>How far behind the audio a segment is published, so its finals have arrived. Default 4 s.</summary>
    public TimeSpan SubtitleLatency { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>Segments listed in the live playlist. Default 10.</summary>
    public int SubtitleWindow { get; set; } = 10;

    /// <summary>Ingests started with the gateway (<c>Ingests:Sources:0:Url</c>, <c>:Room</c>, ...).</summary>
    public List<IngestSourceOptions> Sources { get; set; } = [];

    internal string[] Schemes => AllowedSchemes is { Length: > 0 } s ? s : DefaultSchemes;
}
