using System.Globalization;
using System.Net.WebSockets;
using Gateway.Core.Admission;

namespace Gateway.Core.Sessions;

public sealed partial class Session
{
    private ITimer? _deadline;

    /// <summary>
    /// One timer per session covers both limits: it fires at the earlier of the max-connection-time expiry and
    /// the idle deadline, and re-arms itself when audio has arrived since. Nothing is done per audio frame
    /// except storing a timestamp.
    /// </summary>
    private ITimer StartDeadlineTimer()
    {
        var admission = _services.Admission;
        var due = Min(_lease.ExpiresAt - _services.Time.GetUtcNow(), admission.IdleTimeout);
        _deadline = _services.Time.CreateTimer(static s => ((Session)s!).OnDeadline(), this, Positive(due), Timeout.InfiniteTimeSpan);
        return _deadline;
    }

    private void OnDeadline()
    {
        if (_state.HasEnded)
        {
            return;
        }

        var admission = _services.Admission;
        var toExpiry = _lease.ExpiresAt - _services.Time.GetUtcNow();
        if (toExpiry <= TimeSpan.Zero)
        {
            var limit = admission.MaxConnectionTime.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            Terminate(
                DisconnectReason.MaxConnectionTime,
                new DisconnectEvent(DisconnectReason.MaxConnectionTime, $"maximum connection time of {limit} s reached"),
                (WebSocketCloseStatus)CloseCodes.MaxConnectionTime,
                "max connection time");
            return;
        }

        // The wait count first, then the time: a wait that ends stamps _lastAudio before it stops counting, so a
        // count of 0 read here means any wait that just ended has already stamped the time read next.
        var waiting = Volatile.Read(ref _waitingOnGateway) != 0;
        var idleFor = _services.Time.GetElapsedTime(Volatile.Read(ref _lastAudio));
        var toIdle = admission.IdleTimeout - idleFor;
        if (toIdle <= TimeSpan.Zero && _state.TakesAudio && !waiting)
        {
            var limit = admission.IdleTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            Terminate(
                DisconnectReason.IdleTimeout,
                new DisconnectEvent(DisconnectReason.IdleTimeout, $"no audio received for {limit} s"),
                (WebSocketCloseStatus)CloseCodes.IdleTimeout,
                "idle timeout");
            return;
        }

        _deadline?.Change(Positive(Min(toExpiry, toIdle > TimeSpan.Zero ? toIdle : admission.IdleTimeout)), Timeout.InfiniteTimeSpan);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Positive(TimeSpan t) => t > TimeSpan.Zero ? t : TimeSpan.FromMilliseconds(1);
}
