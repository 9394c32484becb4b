using Gateway.Core.Segmentation;

namespace Gateway.Core.Jobs;

/// <summary>
/// The bookkeeping of one transcription: segments announced and not finished, results so far (reassembled in
/// order at the end), the segments an earlier run already did, and the recording's <see cref="JobTicket"/>.
/// </summary>
/// <remarks>Touched by the transcription's loop and its segment tasks; every member locks.</remarks>
internal sealed class FileRun
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(long, long), TranscribedSegment> _earlier;
    private readonly SortedSet<long> _unfinished = [];
    private readonly List<TranscribedSegment> _results = [];

    public FileRun(FileTranscriptionRequest request, JobsOptions options)
    {
        Request = request;
        Options = options;
        _earlier = request.Completed.ToDictionary(s => (s.StartSample, s.EndSample));
    }

    public FileTranscriptionRequest Request { get; }

    public JobsOptions Options { get; }

    public JobTicket Ticket { get; } = new();

    public void Announced(SpeechSegment segment)
    {
        lock (_lock)
        {
            _unfinished.Add(segment.StartPosition);
        }
    }

    /// <summary>True when an earlier run transcribed this very segment: its result is taken as is.</summary>
    public bool TryResume(SpeechSegment segment)
    {
        lock (_lock)
        {
            if (!_earlier.Remove((segment.StartPosition, segment.EndPosition), out var done))
            {
                return false;
            }

            _unfinished.Remove(segment.StartPosition);
            _results.Add(done);
            return true;
        }
    }

    public void Finished(TranscribedSegment segment)
    {
        lock (_lock)
        {
            _unfinished.Remove(segment.StartSample);
            _results.Add(segment);
        }
    }

    /// <summary>Position up to which every final arrived, given how far segmentation got.</summary>
    public long DonePosition(long segmented)
    {
        lock (_lock)
        {
            return _unfinished.Count > 0 ? Math.Min(_unfinished.Min, segmented) : segmented;
        }
    }

    public IReadOnlyList<TranscribedSegment> InOrder()
    {
        lock (_lock)
        {
            return _results.OrderBy(s => s.StartSample).ToArray();
        }
    }
}
