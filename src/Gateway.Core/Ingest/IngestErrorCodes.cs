namespace Gateway.Core.Ingest;

/// <summary>The <c>error</c> values of the ingest API's 4xx answers (docs/ingest.md).</summary>
public static class IngestErrorCodes
{
    public const string InvalidJson = "invalid_json";
    public const string InvalidUrl = "invalid_url";
    public const string UrlDenied = "url_denied";
    public const string InvalidSegmentation = "invalid_segmentation";
    public const string TooManyIngests = "too_many_ingests";

    /// <summary>The caller's key runs its <c>MaxIngests</c> (429 with Retry-After).</summary>
    public const string QuotaExceeded = "quota_exceeded";
    public const string NotFound = "ingest_not_found";
}
