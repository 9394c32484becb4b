using System.Collections.Concurrent;
using System.Threading.Channels;
using Gateway.Core.Dispatch;
using Gateway.Upstream;

namespace Gateway.UnitTests.Dispatch;

/// <summary>
/// An upstream under the test's control: away (every start fails with <see cref="Refusal"/>), saturated (starts
/// wait until <see cref="Free"/>), or serving: each utterance answers its audio with one sentence naming how many
/// bytes it received, or never answers (<see cref="NeverAnswer"/>). A test waits on what the dispatcher has done
/// (<see cref="Refused"/>, <see cref="Waiting"/>), never on time: each of those is counted only once the fake's
/// decision is made, so a test that changes the upstream after seeing it cannot change that decision.
/// </summary>
internal sealed class FakeUpstream : IUpstream
{
    private readonly ConcurrentQueue<(Task Wait, CancellationToken Token)> _readyWaits = new();
    private readonly Lock _lock = new();
    private TaskCompletionSource? _back; // while away: completes when the upstream is back
    private TaskCompletionSource? _free; // while saturated: completes on Free
    private int _starts;
    private int _refused;

    public volatile bool NeverAnswer;
    public UpstreamError Refusal = UpstreamError.CircuitOpen;

    public ConcurrentQueue<FakeStream> Streams { get; } = new();

    /// <summary>Starts asked for (counted on entry, before the fake decides anything).</summary>
    public int Starts => Volatile.Read(ref _starts);

    /// <summary>Starts refused because the upstream was away (counted once the refusal is decided).</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>Calls to <see cref="WhenReadyAsync"/> so far.</summary>
    public int ReadyWaits => _readyWaits.Count;

    /// <summary>
    /// Waits on <see cref="WhenReadyAsync"/> still pending: neither back nor cancelled. A cancellation (the
    /// segment's deadline on the fake clock) counts at once, on the thread that advanced the clock.
    /// </summary>
    public int Waiting => _readyWaits.Count(w => !w.Wait.IsCompleted && !w.Token.IsCancellationRequested);

    /// <summary>Every start waits until <see cref="Free"/>.</summary>
    public bool Saturated
    {
        get
        {
            lock (_lock)
            {
                return _free is not null;
            }
        }

        set
        {
            if (!value)
            {
                Free();
                return;
            }

            lock (_lock)
            {
                _free ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    /// <summary>Every start fails with <see cref="Refusal"/> and <see cref="IsReady"/> is false; clearing it signals readiness.</summary>
    public bool Away
    {
        get
        {
            lock (_lock)
            {
                return _back is not null;
            }
        }

        set
        {
            TaskCompletionSource? back;
            lock (_lock)
            {
                back = _back;
                _back = value ? back ?? new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) : null;
            }

            if (!value)
            {
                back?.TrySetResult();
            }
        }
    }

    public bool IsReady => !Away;

    public Task WhenReadyAsync(CancellationToken cancellationToken)
    {
        Task wait;
        lock (_lock)
        {
            wait = (_back?.Task ?? Task.CompletedTask).WaitAsync(cancellationToken);
        }

        _readyWaits.Enqueue((wait, cancellationToken));
        return wait;
    }

    public async ValueTask<(IUpstreamStream? Stream, UpstreamError Error)> StartAsync(HotwordSet? hotwords, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _starts);
        Task? free;
        lock (_lock)
        {
            free = _free?.Task;
        }

        if (free is not null)
        {
            await free.WaitAsync(cancellationToken);
        }

        if (Away)
        {
            Interlocked.Increment(ref _refused);
            return (null, Refusal);
        }

        var stream = new FakeStream(NeverAnswer);
        cancellationToken.Register(stream.Abort); // as the real utterance: the caller's token stays attached
        Streams.Enqueue(stream);
        return (stream, UpstreamError.None);
    }

    /// <summary>Lets every waiting start through, and every later one.</summary>
    public void Free()
    {
        TaskCompletionSource? free;
        lock (_lock)
        {
            free = _free;
            _free = null;
        }

        free?.TrySetResult();
    }

    internal sealed class FakeStream(bool neverAnswer) : IUpstreamStream
    {
        private readonly Channel<UpstreamResult> _results = Channel.CreateUnbounded<UpstreamResult>();
        private int _bytes;

        public int Bytes => Volatile.Read(ref _bytes);

        public bool Disposed { get; private set; }

        public ValueTask<UpstreamError> PushAudioAsync(ReadOnlyMemory<byte> pcm)
        {
            Interlocked.Add(ref _bytes, pcm.Length);
            return ValueTask.FromResult(UpstreamError.None);
        }

        public ValueTask<UpstreamError> FinishAsync(ReadOnlyMemory<byte> lastAudio = default)
        {
            Interlocked.Add(ref _bytes, lastAudio.Length);
            if (!neverAnswer)
            {
                _results.Writer.TryWrite(new UpstreamResult(UpstreamResultKind.Sentence, $"bytes {Bytes}", 0, Bytes / 32, UpstreamError.None));
                _results.Writer.TryWrite(UpstreamResult.Completed);
            }

            return ValueTask.FromResult(UpstreamError.None);
        }

        public async ValueTask<UpstreamResult> ReadAsync()
        {
            try
            {
                return await _results.Reader.ReadAsync();
            }
            catch (ChannelClosedException)
            {
                return UpstreamResult.Failed(UpstreamError.Cancelled);
            }
        }

        public void Abort() => _results.Writer.TryComplete();

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            _results.Writer.TryComplete();
            return ValueTask.CompletedTask;
        }
    }
}
