using Gateway.Upstream;

namespace Gateway.Core.Jobs;

/// <summary>An upstream utterance leased for a job's segment; disposing it ends the lease and frees the job's share.</summary>
internal sealed class JobUtterance : IAsyncDisposable
{
    private readonly Action? _released;
    private int _disposed;

    public JobUtterance(UpstreamUtterance utterance, Action? released)
    {
        Utterance = utterance;
        _released = released;
    }

    public UpstreamUtterance Utterance { get; }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await Utterance.DisposeAsync();
            _released?.Invoke();
        }
    }
}
