namespace Gateway.Core.Jobs.Store;

/// <summary>Storing the upload would exceed <see cref="JobsOptions.DiskQuotaBytes"/> (HTTP 507).</summary>
public sealed class DiskQuotaExceededException : Exception
{
    public DiskQuotaExceededException(string message)
        : base(message)
    {
    }
}
