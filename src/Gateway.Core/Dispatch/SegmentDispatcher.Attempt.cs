using System.Globalization;
using Gateway.Core.Results;
using Gateway.Upstream;

namespace Gateway.Core.Dispatch;

internal sealed partial class SegmentDispatcher
{
    /// <summary>
    /// Between two tries for a connection while the upstream fails but its circuit is not open yet (each try is a
    /// real connection attempt, and a few failures open the circuit). Once it is open a held session waits on the
    /// upstream's readiness signal instead (<see cref="IUpstream.WhenReadyAsync"/>), so an outage costs no tries.
    /// </summary>
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>Runs a segment to exactly one outcome for the client: its final, or an error event.</summary>
    private async Task DispatchAsync(SegmentJob job)
    {
        var options = _services.Options;
        var time = _services.Time;
        // The deadline counts from when the segment was spoken, or from its last failure: a long live segment
        // that streamed for a minute can still be replayed.
        var waitingSince = job.SpokenAt;
        var lastError = UpstreamError.None;
        for (var attempt = 1; attempt <= options.MaxAttempts; attempt++)
        {
            var (stream, cause) = await AcquireAsync(job, waitingSince);
            if (stream is null)
            {
                if (cause is not null)
                {
                    await WaitForEndAsync(job);
                    Fail(job, cause);
                }

                return;
            }

            UpstreamError? outcome;
            await using (stream)
            {
                outcome = await RunAttemptAsync(job, stream);
            }

            if (outcome is null)
            {
                return; // delivered
            }

            lastError = outcome.Value;
            if (!lastError.IsRetryable() || _stopping.IsCancellationRequested || job.IsResolved)
            {
                break;
            }

            job.Held = true; // a replay: the final will be late
            waitingSince = time.GetTimestamp();
            _services.Metrics.SegmentReplayed(lastError);
            Log.SegmentReplayed(_services.Logger, _session.Id, job.Id, lastError.ToString(), attempt);
        }

        if (_stopping.IsCancellationRequested || job.IsResolved)
        {
            return;
        }

        await WaitForEndAsync(job);
        Fail(job, string.Create(CultureInfo.InvariantCulture,
            $"the upstream failed this segment {options.MaxAttempts} time(s) (last: {lastError}); the session continues"));
    }

    /// <summary>
    /// Waits for a connection, oldest first across sessions, until the deadline. While the upstream fails, the
    /// session holds its segments within the budgets. Returns the stream, or null with the cause of the failure
    /// (null cause: the session is ending, or the segment already has its outcome).
    /// </summary>
    private async Task<(IUpstreamStream? Stream, string? Cause)> AcquireAsync(SegmentJob job, long waitingSince)
    {
        var time = _services.Time;
        var options = _services.Options;
        using var ticket = _services.Queue.Join(waitingSince);
        using var notice = time.CreateTimer(
            static s =>
            {
                var (dispatcher, segment, place) = ((SegmentDispatcher, SegmentJob, LeaseQueue.Ticket))s!;
                dispatcher.OnQueuedTooLong(segment, place);
            },
            (this, job, ticket),
            Positive(options.QueuedNoticeAfter - time.GetElapsedTime(waitingSince)),
            Timeout.InfiniteTimeSpan);
        var lastError = UpstreamError.None;
        while (true)
        {
            if (_stopping.IsCancellationRequested || job.IsResolved)
            {
                return (null, null);
            }

            var remaining = options.SegmentDeadline - time.GetElapsedTime(waitingSince);
            if (remaining <= TimeSpan.Zero)
            {
                return (null, string.Create(CultureInfo.InvariantCulture,
                    $"no upstream took this segment within {options.SegmentDeadline.TotalSeconds:0.#} s of it being spoken ({Describe(lastError)}); the session continues"));
            }

            var (stream, error) = await TryStartAsync(ticket, remaining);
            if (stream is not null)
            {
                EndHolding(job);
                _services.Metrics.LeaseWait(time.GetElapsedTime(waitingSince).TotalSeconds);
                return (stream, null);
            }

            lastError = error;
            if (error is UpstreamError.Cancelled or UpstreamError.Disposed)
            {
                return (null, null);
            }

            if (error is not (UpstreamError.QueueTimeout or UpstreamError.QueueFull))
            {
                // The upstream failed or is away (not merely busy): hold the session's segments within the budgets.
                if (BeginHolding() is { } refused)
                {
                    foreach (var (other, cause) in refused)
                    {
                        Fail(other, cause);
                    }
                }

                try
                {
                    await WaitForUpstreamAsync(remaining);
                }
                catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
                {
                    return (null, null);
                }
            }
        }
    }

    /// <summary>
    /// Until the next try: the upstream's readiness signal while its circuit is open (the recovery probe closes it),
    /// else one <see cref="RetryInterval"/>; either way no longer than the segment's remaining time.
    /// </summary>
    private async Task WaitForUpstreamAsync(TimeSpan remaining)
    {
        using var expiry = new CancellationTokenSource(remaining, _services.Time);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, expiry.Token);
        try
        {
            if (_services.Upstream.IsReady)
            {
                await Task.Delay(RetryInterval, _services.Time, wait.Token);
            }
            else
            {
                await _services.Upstream.WhenReadyAsync(wait.Token);
            }
        }
        catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
        {
            // The deadline: the caller's loop fails the segment with its cause.
        }
    }

    /// <summary>One try: a turn in the queue, then the pool, bounded by the segment's remaining time.</summary>
    private async Task<(IUpstreamStream? Stream, UpstreamError Error)> TryStartAsync(LeaseQueue.Ticket ticket, TimeSpan remaining)
    {
        using var expiry = new CancellationTokenSource(remaining, _services.Time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, expiry.Token);
        try
        {
            using var live = await _services.Priority.EnterAsync(DispatchPriority.Live, deadline.Token);
            await ticket.WaitTurnAsync(deadline.Token);
            try
            {
                // The utterance keeps the stopping token: the session ending cancels it (blame: the caller).
                var starting = _services.Upstream.StartAsync(_hotwords, _stopping.Token).AsTask();
                try
                {
                    return await starting.WaitAsync(deadline.Token);
                }
                catch (OperationCanceledException)
                {
                    // Given up on, not abandoned: a lease that still arrives goes straight back.
                    _ = starting.ContinueWith(
                        static t => t.Result.Stream?.DisposeAsync(),
                        CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
                    throw;
                }
            }
            finally
            {
                ticket.EndTurn();
            }
        }
        catch (OperationCanceledException)
        {
            return (null, _stopping.IsCancellationRequested ? UpstreamError.Cancelled : UpstreamError.QueueTimeout);
        }
    }

    private void OnQueuedTooLong(SegmentJob job, LeaseQueue.Ticket ticket)
    {
        if (!job.IsResolved)
        {
            _session.Emit(new SegmentQueuedEvent(job.Id, ticket.Position));
        }
    }

    /// <summary>One attempt: stream and read concurrently. Null when the final went out; else the failure.</summary>
    private async Task<UpstreamError?> RunAttemptAsync(SegmentJob job, IUpstreamStream stream)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        var writing = StreamAudioAsync(job, stream, attempt.Token);
        var assembler = new ResultAssembler(job.Start);
        var partials = new PartialThrottle(_services.Time, _services.Options.PartialInterval, _session.Settings.InterimResults);
        UpstreamError? failure = UpstreamError.ConnectionLost;
        try
        {
            while (true)
            {
                var result = await stream.ReadAsync();
                if (_stopping.IsCancellationRequested)
                {
                    failure = UpstreamError.Cancelled;
                    break;
                }

                switch (result.Kind)
                {
                    case UpstreamResultKind.Partial:
                        if (assembler.AddDelta(result.Text) && partials.Due())
                        {
                            EmitPartial(job, assembler);
                        }

                        break;
                    case UpstreamResultKind.Sentence:
                        assembler.AddSentence(result.Text, result.StartMs, result.EndMs, job.AudioEnd);
                        if (partials.Sentence())
                        {
                            EmitPartial(job, assembler);
                        }

                        break;
                    case UpstreamResultKind.Completed:
                        await WaitForEndAsync(job);
                        failure = null;
                        Deliver(job, assembler);
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

    private void Deliver(SegmentJob job, ResultAssembler assembler)
    {
        if (!job.TryResolve())
        {
            return; // the drain gave up on it first: the client already has its error
        }

        var time = _services.Time;
        var final = assembler.Final(job.Id, job.End!.Value);
        _session.Emit(job.Held ? final with { Delay = time.GetElapsedTime(job.EndedAt) } : final);
        _services.Metrics.SegmentCompleted(time.GetElapsedTime(job.EndedAt).TotalSeconds);
        _services.FinalDelivered();
        _idle.Set();
    }

    private void EmitPartial(SegmentJob job, ResultAssembler assembler) =>
        _session.Emit(new PartialEvent(job.Id, assembler.Text(), job.Start, Math.Max(job.Start, job.AudioEnd)));

    /// <summary>
    /// Sends the segment's audio from its own buffer: first what earlier attempts already sent (a replay), then new
    /// audio as it is copied out of the ring, never past the segment's end. Finishes the utterance once the end is
    /// known and reached.
    /// </summary>
    private async Task StreamAudioAsync(SegmentJob job, IUpstreamStream stream, CancellationToken cancellationToken)
    {
        var audio = job.Audio;
        var sent = 0; // bytes sent on this attempt
        try
        {
            while (true)
            {
                var end = job.End;
                // Never past the end: the buffer may hold audio beyond a max-length cut decided after it was copied.
                var endBytes = end is { } e ? (int)((e - job.Start) * sizeof(short)) : int.MaxValue;
                var limit = Math.Min(audio.Length, endBytes);
                var complete = end is not null && audio.Length >= endBytes;
                while (limit - sent >= _chunkBytes || (complete && sent < limit))
                {
                    var slice = audio.Slice(sent, Math.Min(_chunkBytes, limit - sent));
                    sent += slice.Length;
                    var last = complete && sent == limit;
                    var error = last ? await stream.FinishAsync(slice) : await stream.PushAudioAsync(slice);
                    if (error != UpstreamError.None || last)
                    {
                        return; // a failure surfaces on the reader side as a terminal result
                    }
                }

                if (complete)
                {
                    await stream.FinishAsync(); // an empty segment: nothing was left to carry the end
                    return;
                }

                await _audio.WaitAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The outcome of a segment is sent only once its end is known (a fast upstream cannot outrun VAD).</summary>
    private async Task WaitForEndAsync(SegmentJob job)
    {
        while (job.End is null)
        {
            await _ended.WaitAsync(_stopping.Token);
        }
    }

    private static string Describe(UpstreamError error) => error switch
    {
        UpstreamError.None => "no answer",
        UpstreamError.CircuitOpen => "every upstream endpoint is failing (circuit open)",
        UpstreamError.QueueTimeout or UpstreamError.QueueFull => "every upstream connection stayed busy",
        UpstreamError.ConnectFailed or UpstreamError.ConnectTimedOut or UpstreamError.HandshakeFailed or UpstreamError.TlsRejected => $"the upstream could not be reached: {error}",
        _ => error.ToString(),
    };

    private static TimeSpan Positive(TimeSpan t) => t > TimeSpan.Zero ? t : TimeSpan.FromMilliseconds(1);
}
