using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.FunctionalTests.Infrastructure;

/// <summary>
/// A fake clock that records the timers created on it, so a test can wait until the timer it means to fire
/// exists before advancing the clock (advancing first would leave a timer created afterwards waiting forever).
/// </summary>
public sealed class WatchedTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly ConcurrentQueue<TimeSpan> _dueTimes = new();

    public WatchedTimeProvider()
        : this(DateTimeOffset.Parse("2026-01-01T00:00:00Z", CultureInfo.InvariantCulture))
    {
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _dueTimes.Enqueue(dueTime);
        return timer;
    }

    /// <summary>Waits until a timer with exactly <paramref name="dueTime"/> has been created.</summary>
    public async Task WaitForTimerAsync(TimeSpan dueTime)
    {
        using var cts = new CancellationTokenSource(StreamClient.Timeout);
        while (!_dueTimes.Contains(dueTime))
        {
            await Task.Delay(5, cts.Token);
        }
    }
}
