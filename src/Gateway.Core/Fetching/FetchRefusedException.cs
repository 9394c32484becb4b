namespace Gateway.Core.Fetching;

/// <summary>A URL the gateway will not fetch (scheme, address, size) or could not fetch; the message says which.</summary>
public sealed class FetchRefusedException : Exception
{
    public FetchRefusedException(string message, bool tooLarge = false, Exception? inner = null)
        : base(message, inner) => TooLarge = tooLarge;

    /// <summary>The body exceeds the caller's limit (HTTP 413 rather than 400).</summary>
    public bool TooLarge { get; }
}
