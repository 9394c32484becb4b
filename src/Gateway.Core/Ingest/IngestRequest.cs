namespace Gateway.Core.Ingest;

/// <summary>What to ingest: <c>POST /v1/ingests</c> or a declared <c>Ingests:Sources:n</c>.</summary>
public sealed record IngestRequest(string Url, string? Room, string? Speaker, string? Language, IReadOnlyDictionary<string, int>? Hotwords);
