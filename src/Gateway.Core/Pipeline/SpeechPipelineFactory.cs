using Gateway.Core.Dispatch;
using Gateway.Core.Segmentation;
using Gateway.Core.Sessions;
using Gateway.Core.Vad;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Pipeline;

/// <summary>Builds each session's <see cref="SpeechPipeline"/> with its segmentation settings (server defaults plus the client's overrides within bounds).</summary>
internal sealed class SpeechPipelineFactory : ISpeechPipelineFactory
{
    private readonly VadScheduler _scheduler;
    private readonly SegmenterOptions _segmenter;
    private readonly DispatchServices _dispatch;

    public SpeechPipelineFactory(VadScheduler scheduler, IOptions<SegmenterOptions> segmenter, DispatchServices dispatch)
    {
        _scheduler = scheduler;
        _segmenter = segmenter.Value;
        _dispatch = dispatch;
    }

    public ClientError? Check(StreamSettings settings) =>
        SegmenterSettings.TryResolve(_segmenter, settings.Segmentation, out _, out var error)
            ? null
            : ClientError.InvalidConfig($"segmentation: {error}");

    public ISpeechPipeline Create(SessionContext session)
    {
        SegmenterSettings.TryResolve(_segmenter, session.Settings.Segmentation, out var settings, out _);
        return new SpeechPipeline(session, settings, _scheduler, _dispatch);
    }
}
