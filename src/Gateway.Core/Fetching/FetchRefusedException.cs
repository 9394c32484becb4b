namespace Gateway.Core.Fetching;

/// <summary>A URL the gateway will not fetch (policy, size) or could not fetch; the message says which.</summary>
public sealed class FetchRefusedException : Exception
{
    public FetchRefusedException(string message, bool tooLarge = false, bool denied = false, Exception? inner = null)
        : base(message, inner)
    {
        TooLarge = tooLarge;
        Denied = denied;
    }

    /// <summary>The body exceeds the caller's limit (HTTP 413).</summary>
    public bool TooLarge { get; }

    /// <summary>The outbound policy refused the URL, a redirect target or the address connected (HTTP 422).</summary>
    public bool Denied { get; }
}
