using Microsoft.Extensions.Hosting;

namespace Gateway.UnitTests.Jobs;

/// <summary>The host's lifetime as a test drives it: <see cref="StopApplication"/> is the SIGTERM (ApplicationStopping fires, the host has not stopped anything yet).</summary>
internal sealed class StoppableLifetime : IHostApplicationLifetime, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    public CancellationToken ApplicationStarted => CancellationToken.None;

    public CancellationToken ApplicationStopping => _stopping.Token;

    public CancellationToken ApplicationStopped => CancellationToken.None;

    public void StopApplication() => _stopping.Cancel();

    public void Dispose() => _stopping.Dispose();
}
