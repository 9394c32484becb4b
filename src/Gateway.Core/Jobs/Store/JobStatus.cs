namespace Gateway.Core.Jobs.Store;

/// <summary>A job's lifecycle: Queued → Processing → Done | Failed; Failed and Done may be retried (back to Queued).</summary>
public enum JobStatus
{
    Queued,
    Processing,
    Done,
    Failed,
}
