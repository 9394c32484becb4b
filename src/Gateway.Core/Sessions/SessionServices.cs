using Gateway.Core.Admission;
using Gateway.Core.Diagnostics;
using Gateway.Core.Resume;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Sessions;

/// <summary>Shared collaborators of every session, resolved once.</summary>
public sealed class SessionServices
{
    public SessionServices(
        IOptions<SessionOptions> options,
        IOptions<AdmissionOptions> admission,
        TimeProvider time,
        GatewayMetrics metrics,
        ISpeechPipelineFactory pipelines,
        ResumeRegistry resume,
        ILogger<Session> logger,
        ISessionAttachments? attachments = null)
    {
        Options = options.Value;
        Admission = admission.Value;
        Time = time;
        Metrics = metrics;
        Pipelines = pipelines;
        Resume = resume;
        Logger = logger;
        Attachments = attachments ?? NoSessionAttachments.Instance;
    }

    public SessionOptions Options { get; }

    public AdmissionOptions Admission { get; }

    public TimeProvider Time { get; }

    public GatewayMetrics Metrics { get; }

    public ISpeechPipelineFactory Pipelines { get; }

    public ResumeRegistry Resume { get; }

    public ILogger Logger { get; }

    /// <summary>Components that join sessions which ask for them (rooms).</summary>
    public ISessionAttachments Attachments { get; }
}
