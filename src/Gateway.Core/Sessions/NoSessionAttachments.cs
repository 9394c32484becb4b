namespace Gateway.Core.Sessions;

/// <summary>No component takes part in sessions: every session runs with its own settings only.</summary>
public sealed class NoSessionAttachments : ISessionAttachments
{
    public static NoSessionAttachments Instance { get; } = new();

    public ValueTask<SessionAttachment> AttachAsync(string sessionId, StreamSettings settings) => ValueTask.FromResult(SessionAttachment.None(settings));
}
