using Gateway.Load.Metrics;
using Gateway.Load.Report;

namespace Gateway.Load.Ingest;

/// <summary>What an ingest run measured: CPU per ingest (gateway and ffmpeg apart), memory, caption latency behind the source, restarts.</summary>
internal sealed record IngestReport
{
    /// <summary>Server-side ingests, or one gateway-cli process per source (the alternative).</summary>
    public required string Mode { get; init; }

    public required int Ingests { get; init; }
    public required int HlsIngests { get; init; }
    public required int LiveWavIngests { get; init; }
    public required double WindowSeconds { get; init; }

    /// <summary>Ingests <c>running</c> at the end of the window.</summary>
    public required int Running { get; init; }

    /// <summary>Sum of the ingests' <c>restarts</c> (ffmpeg runs that ended and were reconnected) over the whole run; for the CLI, processes that ended.</summary>
    public required int FfmpegRestarts { get; init; }

    public required double GatewayCpuCores { get; init; }
    public required double GatewayCpuPerIngestPercentOfCore { get; init; }
    public required double FfmpegCpuCores { get; init; }
    public required double FfmpegCpuPerIngestPercentOfCore { get; init; }

    /// <summary>The gateway-cli processes themselves (0 for server-side ingests); their ffmpeg children are in the ffmpeg figures.</summary>
    public required int ClientProcesses { get; init; }
    public required double ClientCpuCores { get; init; }
    public required double ClientCpuPerIngestPercentOfCore { get; init; }
    public required double ClientResidentPerIngestMb { get; init; }
    public required double ClientProportionalPerIngestMb { get; init; }

    /// <summary>The HLS origin's ffmpeg (the source side, not the gateway's cost).</summary>
    public required double OriginCpuCores { get; init; }

    public required double GatewayWorkingSetBeforeMb { get; init; }
    public required double GatewayWorkingSetAfterMb { get; init; }
    public required double GatewayWorkingSetPerIngestMb { get; init; }
    public required double GatewayManagedHeapPerIngestMb { get; init; }
    public required int FfmpegProcesses { get; init; }
    public required double FfmpegResidentPerIngestMb { get; init; }

    /// <summary>Proportional set size per ffmpeg (shared libraries split between them).</summary>
    public required double FfmpegProportionalPerIngestMb { get; init; }

    /// <summary>Viewer arrival of a final minus the wall time its last word was spoken at the source, per source kind.</summary>
    public required Percentiles HlsCaptionLatencyMs { get; init; }

    public required Percentiles LiveWavCaptionLatencyMs { get; init; }

    /// <summary>Words captioned in the window; words spoken between an ingest's first and last captioned word that no final held.</summary>
    public required long WordsCaptioned { get; init; }

    public required long WordsMissed { get; init; }

    /// <summary>Ingest <c>lag_ms</c> at the end of the window (how far each ingest's clock is behind the wall clock since its first audio).</summary>
    public required Percentiles IngestLagMs { get; init; }

    public required GatewayReport Gateway { get; init; }
}
