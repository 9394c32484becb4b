using Gateway.Core.Audio;

namespace Gateway.Core.Sessions;

/// <summary>
/// Pipeline for a gateway without speech processing configured: audio is buffered and then released as
/// it arrives. Replaced by the VAD pipeline when VAD is registered.
/// </summary>
internal sealed class DiscardingPipelineFactory : ISpeechPipelineFactory
{
    public ISpeechPipeline Create(SessionContext session) => new Pipeline(session.Ring);

    private sealed class Pipeline(AudioRing ring) : ISpeechPipeline
    {
        public Task FinalizeAsync(CancellationToken cancellationToken)
        {
            ring.Release(ring.WritePosition);
            return Task.CompletedTask;
        }

        public Task DrainAsync(CancellationToken cancellationToken) => FinalizeAsync(cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
