using Gateway.Core.Segmentation;

namespace Gateway.Core.Ingest;

/// <summary>An ingest declared in configuration; checked by the same URL policy as one posted to the API.</summary>
public sealed class IngestSourceOptions
{
    public string Url { get; set; } = "";

    public string? Room { get; set; }

    public string? Speaker { get; set; }

    public string? Language { get; set; }

    /// <summary>Segmentation overrides (<c>Segmentation:EndpointSilenceMs</c>, ...), within the server's <c>Segmenter:Bounds</c>.</summary>
    public SegmenterOverrides? Segmentation { get; set; }
}
