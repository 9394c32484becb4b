using Gateway.Upstream.Protocol;
using Gateway.Upstream.WebSockets;

namespace Gateway.Upstream.Pooling;

internal sealed partial class EndpointPool
{
    /// <summary>
    /// Opens connections until MinIdle are idle. 2pass connections get their first config (with chunk_size) right
    /// away so the server has built the streaming handle before the first utterance.
    /// </summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        while (!_disposed && _breaker.IsHealthy)
        {
            lock (_lock)
            {
                if (_idle.Count >= MinIdle || _total >= MaxConnections)
                {
                    return;
                }

                Interlocked.Increment(ref _total);
            }

            if (!_slots.Wait(0, CancellationToken.None))
            {
                Interlocked.Decrement(ref _total);
                return;
            }

            try
            {
                var (connection, error) = await ConnectAsync(default, cancellationToken).ConfigureAwait(false);
                if (connection is null)
                {
                    Interlocked.Decrement(ref _total);
                    Log.WarmUpFailed(_logger, Name, error);
                    return;
                }

                if (Flavour == FunAsrFlavour.TwoPass && !await SendWarmUpConfigAsync(connection, cancellationToken).ConfigureAwait(false))
                {
                    Discard(connection);
                    return;
                }

                connection.LastUsedTimestamp = _time.GetTimestamp();
                lock (_lock)
                {
                    _idle.Add(connection);
                }
            }
            finally
            {
                _slots.Release();
            }
        }
    }

    /// <summary>Keeps at least <paramref name="minIdle"/> idle from now on (capped at MaxConnections); never lowers it.</summary>
    public void RaiseMinIdle(int minIdle)
    {
        var target = Math.Min(minIdle, MaxConnections);
        int current;
        while ((current = Volatile.Read(ref _minIdle)) < target && Interlocked.CompareExchange(ref _minIdle, target, current) != current)
        {
        }
    }

    private async ValueTask<bool> SendWarmUpConfigAsync(PooledConnection connection, CancellationToken cancellationToken)
    {
        var scratch = connection.Scratch(_defaultConfig.MaxStartLength(16));
        var n = _defaultConfig.WriteStart(scratch, "gw-warmup"u8);
        try
        {
            using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
            await connection.Socket.SendAsync(WebSocketOpcode.Text, scratch.AsMemory(0, n), flush: true, linked.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>
    /// Timer callback: closes connections idle longer than IdleEvictAfter beyond MinIdle, forgets hotword sets with no
    /// idle connection that no utterance used for as long, then tops up to MinIdle.
    /// </summary>
    private void Sweep()
    {
        if (_disposed)
        {
            return;
        }

        List<PooledConnection>? evicted = null;
        lock (_lock)
        {
            // Oldest first; keep the newest MinIdle.
            for (var i = 0; i < _idle.Count && _idle.Count > MinIdle;)
            {
                if (_time.GetElapsedTime(_idle[i].LastUsedTimestamp) >= _options.IdleEvictAfter)
                {
                    (evicted ??= []).Add(_idle[i]);
                    _idle.RemoveAt(i);
                    Interlocked.Decrement(ref _total);
                }
                else
                {
                    i++;
                }
            }

            foreach (var (set, entry) in _hotwordSets.ToList())
            {
                if (_time.GetElapsedTime(entry.LastUsedTimestamp) >= _options.IdleEvictAfter && !_idle.Exists(c => c.Key.Hotwords == set))
                {
                    _hotwordSets.Remove(set);
                }
            }
        }

        if (evicted is not null)
        {
            Log.Evicted(_logger, Name, evicted.Count);
            foreach (var c in evicted)
            {
                _metrics.Discarded();
                _ = c.Socket.DisposeAsync().AsTask();
            }
        }

        if (MinIdle > 0 && IdleCount < MinIdle)
        {
            _ = WarmUpAsync(CancellationToken.None);
        }
    }
}
