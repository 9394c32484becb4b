using Microsoft.Extensions.Hosting;

namespace Gateway.Upstream.Configuration;

/// <summary>Warms the pool at start in the background (a FunASR server that is down must not block the gateway's start).</summary>
internal sealed class UpstreamWarmUpService : IHostedService, IDisposable
{
    private readonly UpstreamClient _client;
    private readonly CancellationTokenSource _stopping = new();
    private Task _warmUp = Task.CompletedTask;

    public UpstreamWarmUpService(UpstreamClient client) => _client = client;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _warmUp = _client.WarmUpAsync(_stopping.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _warmUp.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping while still warming up is fine.
        }
    }

    public void Dispose() => _stopping.Dispose();
}
