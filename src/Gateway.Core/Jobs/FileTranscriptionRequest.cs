using Gateway.Core.Dispatch;
using Gateway.Core.Segmentation;

namespace Gateway.Core.Jobs;

/// <summary>What to transcribe and how. Exactly one of <see cref="Path"/> and <see cref="Input"/>.</summary>
public sealed class FileTranscriptionRequest
{
    /// <summary>A file ffmpeg opens itself (any container, seekable: MP4 with the index at the end works).</summary>
    public string? Path { get; init; }

    /// <summary>A stream piped into ffmpeg (containers that need seeking, such as some MP4s, cannot be read this way).</summary>
    public Stream? Input { get; init; }

    /// <summary><see cref="DispatchPriority.Background"/> for jobs (behind live speech, shortest first); Live for someone waiting on the reply.</summary>
    public DispatchPriority Priority { get; init; } = DispatchPriority.Background;

    /// <summary>Hotwords with weights (connections are pooled per set). Default none.</summary>
    public IReadOnlyDictionary<string, int>? Hotwords { get; init; }

    /// <summary>Segmentation settings; default the server's <c>Segmenter</c> section.</summary>
    public SegmenterSettings? Segmenter { get; init; }

    /// <summary>
    /// Segments already transcribed by an earlier, interrupted run of the same input: matched by their audio span,
    /// they are not sent upstream again. VAD is deterministic, so a rerun finds the same segments.
    /// </summary>
    public IReadOnlyList<TranscribedSegment> Completed { get; init; } = [];

    /// <summary>Called once per newly transcribed segment as its final arrives (not in order), e.g. to persist it for a resume.</summary>
    public Func<TranscribedSegment, CancellationToken, ValueTask>? SegmentCompleted { get; init; }

    /// <summary>Called when progress moves (the share of the audio whose final arrived, 0..1).</summary>
    public Action<FileTranscriptionProgress>? Progress { get; init; }
}
