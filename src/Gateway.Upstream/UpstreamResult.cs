namespace Gateway.Upstream;

/// <summary>
/// One event of an utterance's result stream. The stream ends with exactly one terminal event:
/// <see cref="UpstreamResultKind.Completed"/> or <see cref="UpstreamResultKind.Failed"/>.
/// </summary>
/// <param name="Kind">What the event is.</param>
/// <param name="Text">Partial: the new tokens to append. Sentence: the whole sentence (replaces its partials). Otherwise empty.</param>
/// <param name="StartMs">Sentence start in ms from the utterance start when the server reports it, else -1.</param>
/// <param name="EndMs">Sentence end in ms, else -1.</param>
/// <param name="Error">Failed: the classified reason.</param>
/// <param name="Timestamps">Sentence: the server's raw timestamp JSON (e.g. <c>[[430,670],...]</c>) when it sent one, else null.</param>
public readonly record struct UpstreamResult(UpstreamResultKind Kind, string Text, int StartMs, int EndMs, UpstreamError Error, string? Timestamps = null)
{
    public bool IsTerminal => Kind is UpstreamResultKind.Completed or UpstreamResultKind.Failed;

    /// <summary>Failed and worth replaying on a new lease.</summary>
    public bool MustReplay => Kind == UpstreamResultKind.Failed && Error.IsRetryable();

    public static UpstreamResult Completed { get; } = new(UpstreamResultKind.Completed, "", -1, -1, UpstreamError.None);

    public static UpstreamResult Failed(UpstreamError error) => new(UpstreamResultKind.Failed, "", -1, -1, error);
}
