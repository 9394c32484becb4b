using System.Net.WebSockets;
using Gateway.Load.Protocols;

namespace Gateway.Load.Streams;

/// <summary>Everything one stream sent and received, for analysis after the run.</summary>
internal sealed class StreamOutcome
{
    public required int Index { get; init; }

    public List<SentUtterance> Utterances { get; } = [];

    public List<ServerMessage> Messages { get; } = [];

    /// <summary>How late each frame left after its due time (ms): the load tool's own pacing error.</summary>
    public List<double> PacingLagMs { get; } = [];

    /// <summary>The gateway answered <c>wait</c> (server full).</summary>
    public bool Refused { get; set; }

    /// <summary>Connect, send or receive failed: the exception type and message.</summary>
    public string? Failure { get; set; }

    public WebSocketCloseStatus? CloseStatus { get; set; }

    public bool DrainTimedOut { get; set; }
}
