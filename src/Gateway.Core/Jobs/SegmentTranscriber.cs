using Gateway.Core.Results;
using Gateway.Upstream;
using Microsoft.Extensions.Logging;

namespace Gateway.Core.Jobs;

/// <summary>
/// One segment of a recording to exactly one result: lease (through the scheduler), send its audio unpaced, read
/// to the terminal, and replay on a new lease after a retryable failure. Waiting for a connection is bounded by
/// <see cref="JobsOptions.SegmentDeadline"/>, counted from the segment's start or its last failure.
/// </summary>
internal sealed partial class SegmentTranscriber
{
    private readonly JobConnectionScheduler _scheduler;
    private readonly JobsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public SegmentTranscriber(JobConnectionScheduler scheduler, JobsOptions options, TimeProvider time, ILogger logger)
    {
        _scheduler = scheduler;
        _options = options;
        _time = time;
        _logger = logger;
    }

    public async Task<TranscribedSegment> TranscribeAsync(FileRun run, PendingSegment pending, CancellationToken cancellationToken)
    {
        var request = run.Request.Hotwords is { Count: > 0 } hotwords ? new UtteranceRequest { Hotwords = new HotwordSet(hotwords) } : UtteranceRequest.Default;
        var waitingSince = _time.GetTimestamp();
        var lastError = UpstreamError.None;
        var attempts = 0;
        while (attempts < _options.MaxAttempts)
        {
            var remaining = _options.SegmentDeadline - _time.GetElapsedTime(waitingSince);
            if (remaining <= TimeSpan.Zero)
            {
                break;
            }

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(remaining);
            JobUtterance? lease;
            UpstreamError error;
            try
            {
                (lease, error) = await _scheduler.LeaseAsync(run.Ticket, run.Request.Priority, request, cancellationToken).AsTask().WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                lastError = UpstreamError.QueueTimeout;
                break;
            }

            if (lease is null)
            {
                cancellationToken.ThrowIfCancellationRequested();
                lastError = error;
                // No connection, no attempt: keep asking until the deadline.
                await Task.Delay(TimeSpan.FromMilliseconds(50), _time, cancellationToken);
                continue;
            }

            attempts++;
            await using (lease)
            {
                var (result, failure) = await RunAttemptAsync(lease.Utterance, pending, cancellationToken);
                if (result is not null)
                {
                    return result;
                }

                cancellationToken.ThrowIfCancellationRequested();
                lastError = failure;
                if (!failure.IsRetryable())
                {
                    break;
                }

                Log.SegmentReplayed(_logger, pending.Segment.StartPosition, failure, attempts);
                waitingSince = _time.GetTimestamp();
            }
        }

        throw new FileTranscriptionException(
            $"no upstream transcribed the segment at {pending.Segment.Start.TotalSeconds:0.00} s ({lastError}, {attempts} attempts)");
    }

    private async Task<(TranscribedSegment? Result, UpstreamError Failure)> RunAttemptAsync(UpstreamUtterance utterance, PendingSegment pending, CancellationToken cancellationToken)
    {
        var segment = pending.Segment;
        var writing = SendAsync(utterance, pending.Audio, _options.ChunkMs * 16 * sizeof(short));
        var assembler = new ResultAssembler(segment.StartPosition);
        var failure = UpstreamError.ConnectionLost;
        try
        {
            await foreach (var result in utterance.ReadAllAsync(cancellationToken))
            {
                switch (result.Kind)
                {
                    case UpstreamResultKind.Partial:
                        assembler.AddDelta(result.Text);
                        break;
                    case UpstreamResultKind.Sentence:
                        assembler.AddSentence(result.Text, result.StartMs, result.EndMs, segment.EndPosition);
                        break;
                    case UpstreamResultKind.Completed:
                        var final = assembler.Final(0, segment.EndPosition);
                        return (new TranscribedSegment(segment.StartPosition, segment.EndPosition, final.Text, final.Sentences), UpstreamError.None);
                    case UpstreamResultKind.Failed:
                        failure = result.Error;
                        break;
                }

                if (result.IsTerminal)
                {
                    break;
                }
            }
        }
        finally
        {
            await writing;
        }

        return (null, failure);
    }

    /// <summary>The whole segment is known: frames back to back, the last one carrying the end of the utterance.</summary>
    private static async Task SendAsync(UpstreamUtterance utterance, ReadOnlyMemory<byte> audio, int chunkBytes)
    {
        var sent = 0;
        while (audio.Length - sent > chunkBytes)
        {
            if (await utterance.PushAudioAsync(audio.Slice(sent, chunkBytes)) != UpstreamError.None)
            {
                return; // the failure surfaces on the reader side as a terminal result
            }

            sent += chunkBytes;
        }

        await utterance.FinishAsync(audio[sent..]);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = Diagnostics.EventIds.JobSegmentReplayed, Level = LogLevel.Information, Message = "Job segment at sample {Start} replayed after {Error} (attempt {Attempt})")]
        public static partial void SegmentReplayed(ILogger logger, long start, UpstreamError error, int attempt);
    }
}
