namespace Gateway.Core.Dispatch;

/// <summary>How speech segments are sent upstream and results returned. Section <c>Dispatch</c>.</summary>
public sealed class DispatchOptions
{
    public const string Section = "Dispatch";

    /// <summary>
    /// How long a segment may wait, across retries, for an upstream connection to take it; after that the client
    /// gets an <c>upstream_unavailable</c> error for the segment and the session goes on. Default 10 seconds.
    /// </summary>
    public TimeSpan SegmentDeadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts per segment (the first plus replays after an upstream failure). Default 3.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>At most one partial per session per interval; sentences are sent at once. Default 200 ms.</summary>
    public TimeSpan PartialInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Audio sent upstream per frame while speech goes on. Default 100 ms (3,200 bytes).</summary>
    public int ChunkMs { get; set; } = 100;
}
