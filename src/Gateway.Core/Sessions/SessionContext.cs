using Gateway.Core.Audio;
using Gateway.Core.Results;

namespace Gateway.Core.Sessions;

/// <summary>What a session hands to its pipeline: identity, settings, audio, and a way to reach the client.</summary>
public sealed class SessionContext
{
    private readonly Func<ServerEvent, bool> _emit;
    private readonly IResultObserver? _observer;

    internal SessionContext(string id, StreamSettings settings, SessionAudio audio, Func<ServerEvent, bool> emit, IResultObserver? observer = null)
    {
        Id = id;
        Settings = settings;
        Audio = audio;
        _emit = emit;
        _observer = observer;
    }

    public string Id { get; }

    public StreamSettings Settings { get; }

    /// <summary>The session's audio and every position on it; the pipeline reports classification here.</summary>
    public SessionAudio Audio { get; }

    /// <summary>The samples (read-only for the pipeline: <see cref="SessionAudio"/> releases them).</summary>
    public AudioRing Ring => Audio.Ring;

    /// <summary>
    /// Queues an event for the client; false when the session is closing. The session's observer (a room) sees it
    /// first, whether or not the client still reads. Thread-safe, never blocks.
    /// </summary>
    public bool Emit(ServerEvent serverEvent)
    {
        _observer?.OnResult(serverEvent);
        return _emit(serverEvent);
    }
}
