using Gateway.Core.Results;

namespace Gateway.Core.Resume;

/// <summary>A reconnect that continues nothing; <paramref name="Offset"/> (for a gap) is where the server's audio ends.</summary>
public sealed record ResumeRefusedEvent(string Code, string Message, long? Offset) : ServerEvent;
