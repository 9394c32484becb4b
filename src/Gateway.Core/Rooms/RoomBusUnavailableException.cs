namespace Gateway.Core.Rooms;

/// <summary>The shared room state (Redis) did not answer: the caller refuses the request clearly (docs/scale-out.md §5).</summary>
public sealed class RoomBusUnavailableException(Exception inner)
    : Exception($"the shared room state (Redis) is unavailable: {inner.Message}", inner);
