using System.Collections.Concurrent;
using System.Threading.Channels;
using Gateway.Core.Dispatch;
using Gateway.Upstream;

namespace Gateway.UnitTests.Dispatch;

/// <summary>
/// An upstream under the test's control: away (every start fails with <see cref="Refusal"/>), saturated (starts
/// wait until <see cref="Free"/>), or serving: each utterance answers its audio with one sentence naming how many
/// bytes it received, or never answers (<see cref="NeverAnswer"/>).
/// </summary>
internal sealed class FakeUpstream : IUpstream
{
    private readonly ConcurrentQueue<TaskCompletionSource> _blocked = new();

    public volatile bool Saturated;
    public volatile bool NeverAnswer;
    public UpstreamError Refusal = UpstreamError.CircuitOpen;

    public ConcurrentQueue<FakeStream> Streams { get; } = new();

    public int Starts;

    private readonly Lock _lock = new();
    private TaskCompletionSource? _back; // while away: completes when the upstream is back

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
        lock (_lock)
        {
            return (_back?.Task ?? Task.CompletedTask).WaitAsync(cancellationToken);
        }
    }

    public async ValueTask<(IUpstreamStream? Stream, UpstreamError Error)> StartAsync(HotwordSet? hotwords, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Starts);
        if (Saturated)
        {
            var free = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _blocked.Enqueue(free);
            await free.Task.WaitAsync(cancellationToken);
        }

        if (Away)
        {
            return (null, Refusal);
        }

        var stream = new FakeStream(NeverAnswer);
        cancellationToken.Register(stream.Abort); // as the real utterance: the caller's token stays attached
        Streams.Enqueue(stream);
        return (stream, UpstreamError.None);
    }

    /// <summary>Lets every waiting start through.</summary>
    public void Free()
    {
        Saturated = false;
        while (_blocked.TryDequeue(out var start))
        {
            start.TrySetResult();
        }
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
