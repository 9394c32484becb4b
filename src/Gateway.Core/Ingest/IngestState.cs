namespace Gateway.Core.Ingest;

/// <summary>An ingest's lifecycle: starting → running ⇄ reconnecting → stopped, or failed after too many attempts without audio.</summary>
public enum IngestState
{
    Starting,
    Running,
    Reconnecting,
    Stopping,
    Stopped,
    Failed,
}
