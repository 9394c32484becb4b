using Gateway.Upstream;

namespace Gateway.Core.Dispatch;

/// <summary>The upstream as a session's dispatcher sees it: start an utterance, or learn why not.</summary>
/// <remarks>The pooled FunASR client in production (<see cref="PooledUpstream"/>); a fake in unit tests.</remarks>
internal interface IUpstream
{
    /// <summary>At least one endpoint may take work (its circuit is not open).</summary>
    bool IsReady { get; }

    /// <summary>Completes when <see cref="IsReady"/> (at once if it is): a held segment waits on this, not on a timer.</summary>
    Task WhenReadyAsync(CancellationToken cancellationToken);

    /// <summary>Leases a connection and starts an utterance. Never throws for upstream trouble: the error says why.</summary>
    ValueTask<(IUpstreamStream? Stream, UpstreamError Error)> StartAsync(HotwordSet? hotwords, CancellationToken cancellationToken);
}

/// <summary>One utterance on one leased connection (see <see cref="UpstreamUtterance"/> for the contract).</summary>
internal interface IUpstreamStream : IAsyncDisposable
{
    ValueTask<UpstreamError> PushAudioAsync(ReadOnlyMemory<byte> pcm);

    ValueTask<UpstreamError> FinishAsync(ReadOnlyMemory<byte> lastAudio = default);

    /// <summary>The next result; ends with one terminal result (Completed or Failed).</summary>
    ValueTask<UpstreamResult> ReadAsync();
}
