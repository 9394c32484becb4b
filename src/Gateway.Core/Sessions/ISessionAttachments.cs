using Gateway.Core.Results;

namespace Gateway.Core.Sessions;

/// <summary>
/// Components that take part in a session besides its own client (rooms, docs/rooms.md). Asked once, when the
/// session starts and after its own settings checks: they may refuse the session, adjust its settings, and return an
/// observer of its results, disposed when the session ends. Asynchronous: a room asks the fleet's Redis whether the
/// speaker name is free, and no thread waits for that answer.
/// </summary>
public interface ISessionAttachments
{
    ValueTask<SessionAttachment> AttachAsync(string sessionId, StreamSettings settings);
}

/// <summary>What <see cref="ISessionAttachments.AttachAsync"/> decided: the settings to run with and an observer, or an error for the client.</summary>
public readonly record struct SessionAttachment(StreamSettings? Settings, ISessionObserver? Observer, ClientError? Error)
{
    public static SessionAttachment None(StreamSettings settings) => new(settings, null, null);

    public static SessionAttachment Refused(ClientError error) => new(null, null, error);
}

/// <summary>An observer of one session's results; disposed when the session ends, after its pipeline delivered everything it will.</summary>
public interface ISessionObserver : IResultObserver, IDisposable;
