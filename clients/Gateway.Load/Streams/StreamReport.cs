using Gateway.Load.Metrics;
using Gateway.Load.Report;
using Gateway.Load.Resume;

namespace Gateway.Load.Streams;

/// <summary>The result of a paced-streams run, as printed and written to JSON.</summary>
internal sealed record StreamReport
{
    public required int Streams { get; init; }
    public required double DurationSeconds { get; init; }
    public required double TalkRatio { get; init; }
    public required int FrameMs { get; init; }
    public required int EndpointSilenceMs { get; init; }
    public required double UpstreamProcessingMs { get; init; }
    public required int Connected { get; init; }
    public required int Refused { get; init; }
    public required int Failed { get; init; }
    public required int DrainTimeouts { get; init; }
    public required int AbnormalCloses { get; init; }
    public required int Utterances { get; init; }
    public required int UtterancesWithoutFinal { get; init; }
    public required int Segments { get; init; }
    public required int SegmentsWithoutFinal { get; init; }
    public required WordTally Words { get; init; }
    public required Dictionary<string, int> Errors { get; init; }
    public required int Overflows { get; init; }
    public int DuplicatedFinals { get; init; }

    /// <summary>With <c>--reset-every</c>: the resets and resumes.</summary>
    public ResumeReport? Resume { get; init; }
    public required Percentiles SpeechStartToFirstPartialMs { get; init; }
    public required Percentiles EndOfSpeechToFinalMs { get; init; }

    /// <summary>End of speech → final, minus the endpoint silence and the upstream's own processing: what the gateway adds.</summary>
    public required Percentiles FinalOverheadMs { get; init; }

    /// <summary>The final's <c>end_ms</c> minus the true end of speech (audio clock): the VAD's end detection plus the post-roll.</summary>
    public required Percentiles SegmentEndOffsetMs { get; init; }

    public required Percentiles PacingLagMs { get; init; }
    public required IReadOnlyList<string> FailureSamples { get; init; }
    public GatewayReport? Gateway { get; init; }
}
