using Gateway.Cli.Audio;

namespace Gateway.Cli.Sessions;

/// <summary>
/// The audio between the server's latest <c>ack</c> and what the source has produced (docs/protocol.md §10): the
/// source writes at the end, the sender reads from a cursor, an <c>ack</c> trims the front, and after a reconnect
/// the cursor goes back to the front so the resume resends exactly what the server may not have. Bounded: when it
/// is full the source waits (a file simply pauses; a live source's own buffer takes the rest).
/// Positions are 16 kHz mono PCM16 sample frames since the session began (bytes / 2).
/// </summary>
/// <remarks>Thread-safe: one writer (the source pump), one reader (the sender of the current connection), acks from the event loop.</remarks>
internal sealed class AudioBacklog
{
    private readonly Lock _gate = new();
    private readonly byte[] _ring;
    private long _start;   // bytes: the front (acknowledged up to here)
    private long _cursor;  // bytes: sent on the current connection up to here
    private long _end;     // bytes: written by the source up to here
    private bool _completed;
    private bool _retain = true;
    private TaskCompletionSource _changed = NewSignal();

    public AudioBacklog(TimeSpan capacity)
    {
        var bytes = (int)(capacity.TotalSeconds * AudioFormat.BytesPerSecond);
        _ring = new byte[Math.Max(AudioFormat.FrameBytes, bytes - (bytes % 2))];
    }

    /// <summary>The acknowledged front, in sample frames: where a resume resends from.</summary>
    public long AckedFrames
    {
        get
        {
            lock (_gate)
            {
                return _start / 2;
            }
        }
    }

    /// <summary>Everything the source wrote, in seconds.</summary>
    public double WrittenSeconds
    {
        get
        {
            lock (_gate)
            {
                return _end / (double)AudioFormat.BytesPerSecond;
            }
        }
    }

    /// <summary>Appends source audio, waiting while the backlog is full.</summary>
    public async Task WriteAsync(ReadOnlyMemory<byte> audio, CancellationToken cancellationToken)
    {
        while (!audio.IsEmpty)
        {
            Task changed;
            lock (_gate)
            {
                var free = _ring.Length - (int)(_end - _start);
                if (free > 0)
                {
                    var n = Math.Min(free, audio.Length);
                    Copy(audio.Span[..n], _end);
                    _end += n;
                    audio = audio[n..];
                    Signal();
                    continue;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken);
        }
    }

    /// <summary>The source has ended: the sender sees the end once it has sent everything.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            Signal();
        }
    }

    /// <summary>The server holds audio up to <paramref name="frames"/>: it will never be resent.</summary>
    public void Acknowledge(long frames)
    {
        lock (_gate)
        {
            var bytes = Math.Min(frames * 2, _cursor);
            if (bytes > _start)
            {
                _start = bytes;
                Signal();
            }
        }
    }

    /// <summary>The server offers no resume (no token in <c>ready</c>): no ack will come, so sent audio is not kept.</summary>
    public void StopRetaining()
    {
        lock (_gate)
        {
            _retain = false;
            _start = _cursor;
            Signal();
        }
    }

    /// <summary>For a new connection: the next read starts again at the acknowledged front; returns it in frames.</summary>
    public long Rewind()
    {
        lock (_gate)
        {
            _cursor = _start;
            return _start / 2;
        }
    }

    /// <summary>The next audio to send (up to <paramref name="into"/>'s length), waiting for the source; 0 when it has ended and all was read.</summary>
    public async Task<int> ReadAsync(Memory<byte> into, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                var available = (int)(_end - _cursor);
                if (available > 0)
                {
                    var n = Math.Min(available, into.Length);
                    var offset = (int)(_cursor % _ring.Length);
                    var first = Math.Min(n, _ring.Length - offset);
                    _ring.AsSpan(offset, first).CopyTo(into.Span);
                    _ring.AsSpan(0, n - first).CopyTo(into.Span[first..]);
                    _cursor += n;
                    if (!_retain)
                    {
                        _start = _cursor;
                        Signal();
                    }

                    return n;
                }

                if (_completed)
                {
                    return 0;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken);
        }
    }

    private void Copy(ReadOnlySpan<byte> audio, long position)
    {
        var offset = (int)(position % _ring.Length);
        var first = Math.Min(audio.Length, _ring.Length - offset);
        audio[..first].CopyTo(_ring.AsSpan(offset));
        audio[first..].CopyTo(_ring);
    }

    private void Signal()
    {
        var changed = _changed;
        _changed = NewSignal();
        changed.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
