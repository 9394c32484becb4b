namespace Gateway.Core.Protocols.Deepgram;

/// <summary>The parsed request, or the reason it is refused (HTTP 400 with <c>dg-error</c>).</summary>
public readonly record struct DeepgramQueryResult(DeepgramListen? Listen, string? Error)
{
    public static DeepgramQueryResult Invalid(string error) => new(null, error);
}
