namespace Gateway.Core.Ingest;

/// <summary>What <c>GET /v1/ingests/{id}</c> answers. The URL is redacted (no credentials).</summary>
public sealed record IngestSnapshot(
    string Id,
    string Url,
    string Room,
    string Speaker,
    IngestState State,
    DateTimeOffset CreatedAt,
    string? SourceFormat,
    double AudioReceivedMs,
    double PositionMs,
    int Restarts,
    long Finals,
    double LagMs,
    string? LastError,
    IReadOnlyList<string> StderrTail,
    IReadOnlyList<IngestSnapshot.GapInfo> Gaps)
{
    public readonly record struct GapInfo(double StartMs, double EndMs);
}
