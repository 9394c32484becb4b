namespace Gateway.Upstream;

/// <summary>What an utterance needs from the pool. Reuse instances freely; nothing here is per-utterance state.</summary>
public sealed class UtteranceRequest
{
    public static readonly UtteranceRequest Default = new();

    /// <summary>Hotwords, connection-scoped on the C++ servers: connections are pooled per set. Default none.</summary>
    public HotwordSet? Hotwords { get; init; }
}
