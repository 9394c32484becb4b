namespace Gateway.Core.Sessions;

/// <summary>No component takes part in sessions: every session runs with its own settings only.</summary>
public sealed class NoSessionAttachments : ISessionAttachments
{
    public static NoSessionAttachments Instance { get; } = new();

    public SessionAttachment Attach(string sessionId, StreamSettings settings) => SessionAttachment.None(settings);
}
