using Gateway.Core.Results;
using Gateway.Core.Sessions;
using Gateway.Upstream;

namespace Gateway.Core.Dispatch;

internal sealed partial class SegmentDispatcher
{
    /// <summary>Runs a segment to exactly one outcome for the client: its final, or an error event.</summary>
    private async Task DispatchAsync(SegmentJob job)
    {
        var time = _services.Time;
        var options = _services.Options;
        // The deadline bounds the wait for a connection, counted from the segment's start or its last failure:
        // a long live segment that streamed for a minute can still be replayed.
        var waitingSince = time.GetTimestamp();
        var lastError = UpstreamError.None;
        for (var attempt = 1; attempt <= options.MaxAttempts; attempt++)
        {
            var remaining = options.SegmentDeadline - time.GetElapsedTime(waitingSince);
            if (remaining <= TimeSpan.Zero)
            {
                break;
            }

            var start = await LeaseAsync(remaining);
            _services.Metrics.LeaseWait(time.GetElapsedTime(waitingSince).TotalSeconds);
            if (!start.Succeeded)
            {
                lastError = start.Error;
                if (start.Error is UpstreamError.Cancelled or UpstreamError.Disposed || _stopping.IsCancellationRequested)
                {
                    return;
                }

                attempt--; // no connection, no attempt: keep asking until the deadline
                await DelayAsync(TimeSpan.FromMilliseconds(50));
                continue;
            }

            await using var utterance = start.Utterance;
            var outcome = await RunAttemptAsync(job, utterance);
            if (outcome is null)
            {
                return; // delivered
            }

            lastError = outcome.Value;
            if (!outcome.Value.IsRetryable() || _stopping.IsCancellationRequested)
            {
                break;
            }

            waitingSince = time.GetTimestamp();
            _services.Metrics.SegmentReplayed(outcome.Value);
            Log.SegmentReplayed(_services.Logger, _session.Id, job.Id, outcome.Value.ToString(), attempt);
        }

        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await WaitForEndAsync(job);
        _services.Metrics.SegmentFailed();
        Log.SegmentFailed(_session.Id, _services.Logger, job.Id, lastError.ToString());
        _session.Emit(new SegmentFailedEvent(
            job.Id, job.Start, job.End, "upstream_unavailable",
            $"no upstream transcribed this segment within {options.SegmentDeadline.TotalSeconds:0.#} s ({lastError}); the session continues"));
    }

    private async ValueTask<UtteranceStart> LeaseAsync(TimeSpan remaining)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        deadline.CancelAfter(remaining);
        using var turn = await _services.Priority.EnterAsync(DispatchPriority.Live, deadline.Token);
        try
        {
            // The utterance keeps this token: the session ending cancels it (blame: the caller, not the upstream).
            var request = new UtteranceRequest { Hotwords = _hotwords };
            var start = await _services.Upstream.StartUtteranceAsync(request, _stopping.Token).AsTask().WaitAsync(deadline.Token);
            return start;
        }
        catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
        {
            return new UtteranceStart(null, UpstreamError.QueueTimeout);
        }
    }

    /// <summary>One attempt: stream and read concurrently. Null when the final went out; else the failure.</summary>
    private async Task<UpstreamError?> RunAttemptAsync(SegmentJob job, UpstreamUtterance utterance)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        var writing = StreamAudioAsync(job, utterance, attempt.Token);
        var assembler = new ResultAssembler(job.Start);
        var partials = new PartialThrottle(_services.Time, _services.Options.PartialInterval, _session.Settings.InterimResults);
        UpstreamError? failure = UpstreamError.ConnectionLost;
        try
        {
            await foreach (var result in utterance.ReadAllAsync(attempt.Token))
            {
                switch (result.Kind)
                {
                    case UpstreamResultKind.Partial:
                        if (assembler.AddDelta(result.Text) && partials.Due())
                        {
                            EmitPartial(job, assembler);
                        }

                        break;
                    case UpstreamResultKind.Sentence:
                        assembler.AddSentence(result.Text, result.StartMs, result.EndMs, job.End >= 0 ? job.End : _classified());
                        if (partials.Sentence())
                        {
                            EmitPartial(job, assembler);
                        }

                        break;
                    case UpstreamResultKind.Completed:
                        await WaitForEndAsync(job);
                        _session.Emit(assembler.Final(job.Id, job.End));
                        _services.Metrics.SegmentCompleted(_services.Time.GetElapsedTime(job.EndedAt).TotalSeconds);
                        failure = null;
                        break;
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
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            failure = UpstreamError.Cancelled;
        }
        finally
        {
            await attempt.CancelAsync();
            await writing;
        }

        return failure;
    }

    private void EmitPartial(SegmentJob job, ResultAssembler assembler)
    {
        var end = job.End >= 0 ? job.End : _classified();
        _session.Emit(new PartialEvent(job.Id, assembler.Text(), job.Start, Math.Max(job.Start, end)));
    }

    /// <summary>
    /// Sends the segment's audio: first what earlier attempts already took from the ring (a replay), then new audio
    /// as VAD classifies it, never past the classified position (the segment's end is not known before). New audio
    /// moves from the ring into the segment's own buffer, so the ring can be released while the final is pending.
    /// Finishes the utterance once the end is known and reached.
    /// </summary>
    private async Task StreamAudioAsync(SegmentJob job, UpstreamUtterance utterance, CancellationToken cancellationToken)
    {
        var ring = _session.Ring;
        var archive = job.Audio;
        var sent = 0; // bytes of the archive sent on this attempt
        try
        {
            while (true)
            {
                var end = job.End;
                var available = end >= 0 ? end : Math.Min(_classified(), ring.WritePosition);
                var archivedUpTo = job.Start + archive.Samples;
                if (available > archivedUpTo)
                {
                    archive.Append(ring, archivedUpTo, (int)(available - archivedUpTo));
                    job.Archived(archive.Samples);
                }

                // Never past the end: the archive may hold audio beyond a cut that was decided after it was copied.
                var endBytes = end >= 0 ? (int)((end - job.Start) * sizeof(short)) : int.MaxValue;
                var limit = Math.Min(archive.Length, endBytes);
                var complete = end >= 0 && archive.Length >= endBytes;
                while (limit - sent >= _chunkBytes || (complete && sent < limit))
                {
                    var count = Math.Min(_chunkBytes, limit - sent);
                    var slice = archive.Slice(sent, count);
                    sent += count;
                    var last = complete && sent == limit;
                    var error = last ? await utterance.FinishAsync(slice) : await utterance.PushAudioAsync(slice);
                    if (error != UpstreamError.None || last)
                    {
                        return; // a failure surfaces on the reader side as a terminal result
                    }
                }

                if (complete)
                {
                    await utterance.FinishAsync(); // an empty segment: nothing was left to carry the end
                    return;
                }

                await _audio.WaitAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The final of a segment is sent only once its end is known (a fast upstream cannot outrun VAD).</summary>
    private async Task WaitForEndAsync(SegmentJob job)
    {
        while (job.End < 0)
        {
            await _ended.WaitAsync(_stopping.Token);
        }
    }

    private Task DelayAsync(TimeSpan delay) => Task.Delay(delay, _services.Time, _stopping.Token);
}
