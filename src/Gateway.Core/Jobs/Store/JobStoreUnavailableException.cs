namespace Gateway.Core.Jobs.Store;

/// <summary>The store cannot be reached (Redis down): HTTP 503, readiness fails; nothing accepted before is lost.</summary>
public sealed class JobStoreUnavailableException : Exception
{
    public JobStoreUnavailableException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
