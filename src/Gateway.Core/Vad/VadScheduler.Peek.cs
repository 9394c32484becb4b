namespace Gateway.Core.Vad;

/// <summary>
/// Peeks (<see cref="IVadSink.PeekPosition"/>): the one decision that waits on a position inside a window, the
/// segmenter's endpoint, is taken at that sample. 500 ms of endpoint silence is 15.6 windows; without the peek the
/// segment ends only when the 16th is whole (512 ms, +12 ms), and then at the next tick.
/// </summary>
/// <remarks>
/// After the tick's rounds, every stream whose sink asks for a position inside its next (not yet whole) window, with
/// the ring already there, gets the 512 samples ending at that position classified once, in batches, from a copy of
/// its state: the stream's state, context and position are not touched, so its windows stay exactly as without the
/// peek. The energy gate applies as to any window. About one peek per utterance, so this costs nothing measurable.
/// </remarks>
public sealed partial class VadScheduler
{
    /// <summary>
    /// Asks for a tick now rather than at the next period (coalesced like the timer's). The receive path calls it
    /// through <see cref="VadStreamHandle.RequestTick"/> when the audio reaches a stream's peek position.
    /// </summary>
    internal void RequestTick()
    {
        if (_tickThread is not null && !_stopping)
        {
            OnTimer();
        }
    }

    private int Peek(VadStream[] streams)
    {
        var count = 0;
        foreach (var stream in streams)
        {
            if (!stream.Removed && IsPeekDue(stream, stream.Sink.PeekPosition))
            {
                _ready[count++] = stream;
            }
        }

        var worker = _workers!.TickWorker;
        for (var start = 0; start < count; start += _options.MaxBatch)
        {
            PeekBatch(worker, start, Math.Min(count, start + _options.MaxBatch));
        }

        return count;
    }

    /// <summary>Inside the next window, reached by the ring, its input still held, and not peeked before.</summary>
    private static bool IsPeekDue(VadStream stream, long at)
    {
        var position = stream.Position;
        if (at <= position || at >= position + VadEngine.WindowSamples || at == stream.PeekedAt
            || at > stream.Ring.WritePosition || at - VadEngine.InputSamples < stream.Ring.ReleasedPosition)
        {
            return false;
        }

        stream.PeekedAt = at;
        return true;
    }

    private void PeekBatch(VadWorker worker, int start, int end)
    {
        var engine = worker.Engine;
        var rows = 0;
        for (var i = start; i < end; i++)
        {
            var stream = _ready[i];
            var input = engine.Input(rows);
            stream.Ring.CopyTo(stream.PeekedAt - VadEngine.InputSamples, input);
            if (_gate.IsBelowFloor(input[VadEngine.ContextSamples..]))
            {
                DeliverPeek(stream, 0f);
                continue;
            }

            worker.Rows[rows++] = stream;
        }

        if (rows == 0)
        {
            return;
        }

        worker.RunRows(rows);
        for (var b = 0; b < rows; b++)
        {
            DeliverPeek(worker.Rows[b]!, engine.Probability(b));
            worker.Rows[b] = null;
        }

        _metrics.Batches.Add(1);
        _metrics.BatchSize.Record(rows);
    }

    private void DeliverPeek(VadStream stream, float probability)
    {
        _metrics.Peeks.Add(1);
        lock (stream.Sync)
        {
            if (stream.Removed)
            {
                return;
            }

            try
            {
                stream.Sink.OnPeek(stream.PeekedAt, probability);
            }
            catch (Exception ex)
            {
                DropFailedSink(stream, ex);
            }
        }
    }
}
