namespace Gateway.Cli.Jobs;

/// <summary>The gateway answered a jobs request with an error status; <see cref="Exception.Message"/> is its <c>detail</c>.</summary>
internal sealed class JobApiException(int status, string detail) : Exception(detail)
{
    public int Status { get; } = status;

    /// <summary>415/422 at submit: the gateway's ffmpeg cannot read the file (the message is its reason).</summary>
    public bool MediaRejected => Status is 415 or 422;
}
