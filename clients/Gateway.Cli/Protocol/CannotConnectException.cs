namespace Gateway.Cli.Protocol;

/// <summary>The gateway could not be reached.</summary>
internal sealed class CannotConnectException : Exception
{
    public CannotConnectException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
