namespace Gateway.Core.Ingest;

/// <summary>Why an ingest was refused, with the HTTP status the API answers.</summary>
public sealed record IngestError(int Status, string Code, string Message);
