namespace Gateway.Core.Jobs.Store;

public enum RetryResult
{
    Requeued,
    NotFound,

    /// <summary>Queued or processing already: nothing to retry (HTTP 409).</summary>
    NotFinished,
}
