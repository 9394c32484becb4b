using Gateway.Upstream;

namespace Gateway.Core.Dispatch;

/// <summary>The production <see cref="IUpstream"/>: the shared pooled FunASR client.</summary>
internal sealed class PooledUpstream : IUpstream
{
    private readonly UpstreamClient _client;

    public PooledUpstream(UpstreamClient client) => _client = client;

    public bool IsReady => _client.IsReady;

    public Task WhenReadyAsync(CancellationToken cancellationToken) => _client.WhenReadyAsync(cancellationToken);

    public async ValueTask<(IUpstreamStream? Stream, UpstreamError Error)> StartAsync(HotwordSet? hotwords, CancellationToken cancellationToken)
    {
        var start = await _client.StartUtteranceAsync(new UtteranceRequest { Hotwords = hotwords }, cancellationToken);
        return start.Succeeded ? (new Stream(start.Utterance), UpstreamError.None) : (null, start.Error);
    }

    private sealed class Stream(UpstreamUtterance utterance) : IUpstreamStream
    {
        public ValueTask<UpstreamError> PushAudioAsync(ReadOnlyMemory<byte> pcm) => utterance.PushAudioAsync(pcm);

        public ValueTask<UpstreamError> FinishAsync(ReadOnlyMemory<byte> lastAudio = default) => utterance.FinishAsync(lastAudio);

        public ValueTask<UpstreamResult> ReadAsync() => utterance.ReadAsync();

        public ValueTask DisposeAsync() => utterance.DisposeAsync();
    }
}
