using Gateway.Upstream.Protocol;

namespace Gateway.Upstream.Pooling;

/// <summary>A hotword set an endpoint knows: its rendered config and when an utterance last used it. Guarded by the pool's lock.</summary>
internal sealed class HotwordEntry(FunAsrConfigMessages config, long lastUsedTimestamp)
{
    public FunAsrConfigMessages Config { get; } = config;

    public long LastUsedTimestamp { get; set; } = lastUsedTimestamp;
}
