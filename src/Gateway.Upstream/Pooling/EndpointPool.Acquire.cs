using System.Net.Sockets;
using System.Security.Authentication;
using Gateway.Upstream.Diagnostics;
using Gateway.Upstream.WebSockets;

namespace Gateway.Upstream.Pooling;

internal sealed partial class EndpointPool
{
    /// <summary>
    /// Leases a connection for one utterance: an idle one with the same key (pinged first when it idled longer than
    /// IdleProbeAfter), else a new one. Waits at most AcquireTimeout for a free slot, behind at most QueueLimit others.
    /// On success the caller owns the connection and one slot until <see cref="Release"/>.
    /// </summary>
    public async ValueTask<(PooledConnection? Connection, UpstreamError Error)> AcquireAsync(ConnectionKey key, CancellationToken cancellationToken)
    {
        if (_disposed)
        {
            return (null, UpstreamError.Disposed);
        }

        if (!_breaker.TryPass())
        {
            return (null, UpstreamError.CircuitOpen);
        }

        Interlocked.Increment(ref _inFlight);
        var error = _slots.Wait(0, CancellationToken.None) ? UpstreamError.None : await WaitForSlotAsync(cancellationToken).ConfigureAwait(false);
        if (error != UpstreamError.None)
        {
            Interlocked.Decrement(ref _inFlight);
            return (null, error);
        }

        while (TakeIdle(key) is { } idle)
        {
            if (_time.GetElapsedTime(idle.LastUsedTimestamp) < _options.IdleProbeAfter || await ProbeAsync(idle).ConfigureAwait(false))
            {
                idle.Uses++;
                idle.LeasedTimestamp = _time.GetTimestamp();
                _metrics.ReuseHit();
                return (idle, UpstreamError.None);
            }

            Log.ProbeFailed(_logger, Name);
            Discard(idle);
        }

        PooledConnection? victim = null;
        lock (_lock)
        {
            if (_total >= MaxConnections && _idle.Count > 0)
            {
                // Full of idle connections with other hotwords: the oldest makes room.
                victim = _idle[0];
                _idle.RemoveAt(0);
                Interlocked.Decrement(ref _total);
            }

            Interlocked.Increment(ref _total);
        }

        if (victim is not null)
        {
            _metrics.Discarded();
            await victim.Socket.DisposeAsync().ConfigureAwait(false);
        }

        var (connection, connectError) = await ConnectAsync(key, cancellationToken).ConfigureAwait(false);
        if (connection is null)
        {
            Interlocked.Decrement(ref _total);
            Interlocked.Decrement(ref _inFlight);
            ReturnSlot();
            return (null, connectError);
        }

        connection.Uses++;
        connection.LeasedTimestamp = _time.GetTimestamp();
        return (connection, UpstreamError.None);
    }

    /// <summary>Ends a lease. A connection goes back to idle only when the utterance ended cleanly; anything else is discarded.</summary>
    public void Release(PooledConnection connection, bool reusable)
    {
        _metrics.LeaseEnded(connection.LeasedTimestamp);
        // Unread bytes after the terminal mean the server said more than the protocol allows: not in step any more.
        if (reusable && !_disposed && !connection.Socket.IsClosed && !connection.Socket.HasUnreadData
            && connection.Uses < _options.MaxUtterancesPerConnection)
        {
            connection.LastUsedTimestamp = _time.GetTimestamp();
            List<PooledConnection>? evicted;
            lock (_lock)
            {
                evicted = MakeRoomForHotwordSet(connection.Key);
                _idle.Add(connection);
            }

            if (evicted is not null)
            {
                Log.HotwordSetEvicted(_logger, Name, evicted.Count, _options.MaxHotwordSets);
                evicted.ForEach(Discard);
            }
        }
        else
        {
            Discard(connection);
        }

        Interlocked.Decrement(ref _inFlight);
        ReturnSlot();
    }

    private void Discard(PooledConnection connection)
    {
        Interlocked.Decrement(ref _total);
        _metrics.Discarded();
        _ = connection.Socket.DisposeAsync().AsTask();
    }

    /// <summary>
    /// Under the lock, before an idle connection of <paramref name="key"/> is kept: when its hotword set would be one
    /// more than MaxHotwordSets among the idle connections, takes out the idle connections of the least recently used
    /// other set (the caller discards them), so distinct hotword sets never pin connections without bound.
    /// </summary>
    private List<PooledConnection>? MakeRoomForHotwordSet(ConnectionKey key)
    {
        if (key.Hotwords is null || _idle.Exists(c => c.Key == key))
        {
            return null;
        }

        var sets = _idle.Where(c => c.Key.Hotwords is not null).Select(c => c.Key.Hotwords!).Distinct().ToList();
        if (sets.Count < _options.MaxHotwordSets)
        {
            return null;
        }

        var oldest = sets.MinBy(s => _hotwordSets.TryGetValue(s, out var e) ? e.LastUsedTimestamp : long.MinValue)!;
        var evicted = _idle.FindAll(c => c.Key.Hotwords == oldest);
        _idle.RemoveAll(c => c.Key.Hotwords == oldest);
        _hotwordSets.Remove(oldest);
        Interlocked.Add(ref _total, -evicted.Count);
        return evicted;
    }

    /// <summary>Under the lock: forgets the least recently used hotword set that has no idle connection, if any.</summary>
    private void ForgetLeastRecentSetWithoutIdle()
    {
        HotwordSet? oldest = null;
        var oldestUse = long.MaxValue;
        foreach (var (set, entry) in _hotwordSets)
        {
            if (entry.LastUsedTimestamp < oldestUse && !_idle.Exists(c => c.Key.Hotwords == set))
            {
                (oldest, oldestUse) = (set, entry.LastUsedTimestamp);
            }
        }

        if (oldest is not null)
        {
            _hotwordSets.Remove(oldest);
        }
    }

    private PooledConnection? TakeIdle(ConnectionKey key)
    {
        lock (_lock)
        {
            // LIFO: the most recently used connection is the least likely to have been cut by a NAT.
            for (var i = _idle.Count - 1; i >= 0; i--)
            {
                if (_idle[i].Key == key)
                {
                    var c = _idle[i];
                    _idle.RemoveAt(i);
                    return c;
                }
            }
        }

        return null;
    }

    private async ValueTask<UpstreamError> WaitForSlotAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _waiting) > _options.QueueLimit)
        {
            Interlocked.Decrement(ref _waiting);
            return UpstreamError.QueueFull;
        }

        using var timeout = new CancellationTokenSource(_options.AcquireTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            await _slots.WaitAsync(linked.Token).ConfigureAwait(false);
            return UpstreamError.None;
        }
        catch (OperationCanceledException)
        {
            return cancellationToken.IsCancellationRequested ? UpstreamError.Cancelled : UpstreamError.QueueTimeout;
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    private async ValueTask<bool> ProbeAsync(PooledConnection connection)
    {
        using var timeout = new CancellationTokenSource(_options.ProbeTimeout, _time);
        return await connection.ProbeAsync(timeout.Token).ConfigureAwait(false);
    }

    private async ValueTask<(PooledConnection? Connection, UpstreamError Error)> ConnectAsync(ConnectionKey key, CancellationToken cancellationToken)
    {
        var start = _metrics.Timestamp();
        using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        UpstreamError error;
        Exception failure;
        try
        {
            var socket = await WebSocketClientConnection.ConnectAsync(Uri, _socketOptions, linked.Token).ConfigureAwait(false);
            _metrics.Connected();
            _metrics.Phase(UpstreamPhase.Connect, start);
            Log.Connected(_logger, Name);
            return (new PooledConnection(socket, key, _time.GetTimestamp()), UpstreamError.None);
        }
        catch (OperationCanceledException ex)
        {
            (error, failure) = (cancellationToken.IsCancellationRequested ? UpstreamError.Cancelled : UpstreamError.ConnectTimedOut, ex);
        }
        catch (AuthenticationException ex)
        {
            (error, failure) = (UpstreamError.TlsRejected, ex);
        }
        catch (WebSocketProtocolException ex)
        {
            (error, failure) = (UpstreamError.HandshakeFailed, ex);
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            (error, failure) = (UpstreamError.ConnectFailed, ex);
        }

        if (error != UpstreamError.Cancelled)
        {
            Log.ConnectFailed(_logger, Name, error, failure);
            ReportFailure(error);
        }

        return (null, error);
    }
}
