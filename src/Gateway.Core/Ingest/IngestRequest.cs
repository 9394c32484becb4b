namespace Gateway.Core.Ingest;

/// <summary>What to ingest: <c>POST /v1/ingests</c> or a declared <c>Ingests:Sources:n</c>.</summary>
/// <param name="Owner">The API key that started it (its <c>MaxIngests</c> quota counts it), or null.</param>
public sealed record IngestRequest(string Url, string? Room, string? Speaker, string? Language, IReadOnlyDictionary<string, int>? Hotwords, string? Owner = null);
