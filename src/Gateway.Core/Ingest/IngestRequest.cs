using Gateway.Core.Segmentation;

namespace Gateway.Core.Ingest;

/// <summary>
/// What to ingest: <c>POST /v1/ingests</c> or a declared <c>Ingests:Sources:n</c>. <paramref name="Segmentation"/>
/// overrides the server's segmenter like a live <c>start</c> message's (checked by <see cref="SegmenterSettings.TryResolve"/>).
/// </summary>
/// <param name="Owner">The API key that started it (its <c>MaxIngests</c> quota counts it), or null.</param>
public sealed record IngestRequest(
    string Url,
    string? Room,
    string? Speaker,
    string? Language,
    IReadOnlyDictionary<string, int>? Hotwords,
    SegmenterOverrides? Segmentation = null,
    string? Owner = null);
