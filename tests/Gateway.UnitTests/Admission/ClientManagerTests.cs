using Gateway.Core.Admission;
using Gateway.Core.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.UnitTests.Admission;

public sealed class ClientManagerTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void TryAdmit_ServerFull_RepliesWaitWithEarliestExpiry()
    {
        var clients = Create(maxClients: 2, maxConnectionTime: TimeSpan.FromMinutes(10));
        Assert.True(clients.TryAdmit().Admitted);
        _time.Advance(TimeSpan.FromMinutes(3));
        Assert.True(clients.TryAdmit().Admitted);
        _time.Advance(TimeSpan.FromMinutes(1));

        var rejected = clients.TryAdmit();

        Assert.False(rejected.Admitted);
        Assert.Equal(TimeSpan.FromMinutes(6), rejected.EstimatedWait); // the first session expires 10 - 4 minutes from now
    }

    [Fact]
    public void BeginShutdown_RefusesNewSessionsAndSignalsActiveLeases()
    {
        var clients = Create(maxClients: 2, maxConnectionTime: TimeSpan.FromMinutes(10));
        var lease = clients.TryAdmit().Lease!;
        Assert.False(lease.ShutdownRequested.IsCancellationRequested);

        clients.BeginShutdown();
        clients.BeginShutdown(); // idempotent
        var refused = clients.TryAdmit();

        Assert.True(lease.ShutdownRequested.IsCancellationRequested);
        Assert.False(refused.Admitted);
        Assert.True(refused.ShuttingDown);
        Assert.Equal(1, clients.ActiveCount); // the refusal reserved no slot; the active session keeps its own
    }

    [Fact]
    public void EstimatedWait_OverdueSession_IsClampedToZero()
    {
        var clients = Create(maxClients: 1, maxConnectionTime: TimeSpan.FromMinutes(1));
        clients.TryAdmit();
        _time.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(TimeSpan.Zero, clients.TryAdmit().EstimatedWait);
    }

    [Fact]
    public void Release_Twice_FreesOneSlotOnly()
    {
        var clients = Create(maxClients: 2);
        var a = clients.TryAdmit().Lease!;
        clients.TryAdmit();

        a.Release(DisconnectReason.ClientClosed);
        a.Release(DisconnectReason.ClientAborted);

        Assert.Equal(1, clients.ActiveCount);
        Assert.True(clients.TryAdmit().Admitted);
        Assert.False(clients.TryAdmit().Admitted);
    }

    [Fact(Timeout = 30_000)]
    public async Task TryAdmit_ConcurrentCallers_NeverExceedTheLimit()
    {
        var clients = Create(maxClients: 10);
        var admitted = 0;
        using var start = new Barrier(8);
        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < 10_000; i++)
            {
                var result = clients.TryAdmit();
                if (result.Lease is { } lease)
                {
                    var now = Interlocked.Increment(ref admitted);
                    Assert.True(now <= 10, $"{now} sessions admitted at once");
                    Interlocked.Decrement(ref admitted);
                    lease.Release(DisconnectReason.ClientClosed);
                }
            }
        }));

        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, clients.ActiveCount);
    }

    private ClientManager Create(int maxClients, TimeSpan? maxConnectionTime = null)
    {
        var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var options = Options.Create(new AdmissionOptions { MaxClients = maxClients, MaxConnectionTime = maxConnectionTime ?? TimeSpan.FromMinutes(10) });
        return new ClientManager(options, _time, new GatewayMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
    }
}
