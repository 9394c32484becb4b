namespace Gateway.Core.Results;

/// <summary>
/// Sees every result event a session emits (speech started/ended, partials, finals, segment failures) as it is
/// emitted, besides the session's own client. Rooms use it to publish a participant's results.
/// </summary>
/// <remarks>Called on the emitting thread (a VAD worker or the session's dispatcher loop): must not block.</remarks>
public interface IResultObserver
{
    void OnResult(ServerEvent result);
}
