using System.Diagnostics;
using System.Net.WebSockets;
using Gateway.Load.Protocols;

namespace Gateway.Load.Resume;

/// <summary>
/// A native-protocol session that survives <see cref="Reset"/> (a TCP reset, as a dropped network): it keeps the
/// audio after the latest <c>ack</c>, reconnects with <c>?resume=TOKEN&amp;offset=N&amp;finals=C</c> (backoff with
/// jitter, within the window), resends from <c>N</c> and goes on, as docs/protocol.md §10 tells a client to.
/// Acks and resumed readies are consumed here; every other message reaches the caller as on one connection.
/// </summary>
/// <remarks>One sender and one receiver, as <see cref="IProtocolClient"/>; sends (and the resend) are serialised by a lock.</remarks>
internal sealed class ResumingNativeClient : IProtocolClient
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(30);
    private readonly Uri _url;
    private readonly ResumeStats _stats;
    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly Lock _gate = new();
    private readonly Queue<(long Start, byte[] Pcm)> _backlog = new();
    private ProtocolSocket _socket;
    private Task<bool>? _reconnect;
    private string? _token;
    private long _written; // sample frames
    private long _finals;
    private long _resetAt;
    private volatile bool _closing;

    private ResumingNativeClient(Uri url, ProtocolSocket socket, ResumeStats stats)
    {
        _url = url;
        _socket = socket;
        _stats = stats;
    }

    public static async Task<ResumingNativeClient> ConnectAsync(Uri url, ResumeStats stats, CancellationToken token) =>
        new(url, await ProtocolSocket.ConnectAsync(url, token), stats);

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    /// <summary>True while the session streams (not yet closing): a reset now is a mid-speech drop.</summary>
    public bool Resettable => _token is not null && !_closing && _reconnect is null;

    public async Task<ServerMessage?> StartAsync(int endpointSilenceMs, CancellationToken token)
    {
        await _socket.SendTextAsync(
            $"{{\"type\":\"start\",\"encoding\":\"pcm_s16le\",\"sample_rate\":16000,\"channels\":1,\"interim_results\":true,\"segmentation\":{{\"endpoint_silence_ms\":{endpointSilenceMs}}}}}", token);
        var first = await ReceiveAsync(token);
        _token = first?.ResumeToken;
        return first;
    }

    /// <summary>Cuts the connection (TCP reset); the session resumes by itself.</summary>
    public void Reset()
    {
        Volatile.Write(ref _resetAt, Stopwatch.GetTimestamp());
        _stats.Reset();
        _socket.Reset();
    }

    public async ValueTask SendAudioAsync(ReadOnlyMemory<byte> pcm, CancellationToken token)
    {
        ProtocolSocket socket;
        await _send.WaitAsync(token);
        try
        {
            lock (_gate)
            {
                _backlog.Enqueue((_written, pcm.ToArray()));
                _written += pcm.Length / 2;
            }

            socket = _socket;
            try
            {
                await socket.SendBinaryAsync(pcm, token);
                return;
            }
            catch (Exception ex) when (Lost(ex, token))
            {
                // lost: the resume resends this frame with the rest of the backlog
            }
        }
        finally
        {
            _send.Release();
        }

        await ResumeAsync(socket, token);
    }

    public async Task SendEndAsync(CancellationToken token)
    {
        _closing = true;
        while (true)
        {
            var socket = _socket;
            try
            {
                await socket.SendTextAsync("{\"type\":\"close\"}", token);
                return;
            }
            catch (Exception ex) when (Lost(ex, token))
            {
                if (!await ResumeAsync(socket, token))
                {
                    return;
                }
            }
        }
    }

    public async Task<ServerMessage?> ReceiveAsync(CancellationToken token)
    {
        while (true)
        {
            var socket = _socket;
            (ReadOnlyMemory<byte> Json, long ReceivedAt)? raw;
            try
            {
                raw = await socket.ReceiveTextAsync(token);
            }
            catch (Exception ex) when (Lost(ex, token))
            {
                if (await ResumeAsync(socket, token))
                {
                    continue;
                }

                return null;
            }

            if (raw is not { } r)
            {
                return null;
            }

            var m = ServerMessage.Parse(r.Json.Span, r.ReceivedAt);
            switch (m.Type)
            {
                case "ack":
                    Acknowledge(m.Offset ?? 0);
                    continue;
                case "ready" when m.ResumeToken is { } next:
                    _token = next;
                    break;
                case "final":
                case "error" when m.SegmentId is not null:
                    Interlocked.Increment(ref _finals);
                    break;
            }

            return m;
        }
    }

    /// <summary>
    /// How a reset connection fails: a socket error, or (when the other direction failed first and aborted the
    /// WebSocket) a cancellation that is not ours, or the socket already disposed by the resume.
    /// </summary>
    private static bool Lost(Exception ex, CancellationToken token) =>
        ex is WebSocketException or IOException or ObjectDisposedException || (ex is OperationCanceledException && !token.IsCancellationRequested);

    private void Acknowledge(long offset)
    {
        lock (_gate)
        {
            while (_backlog.TryPeek(out var chunk) && chunk.Start + (chunk.Pcm.Length / 2) <= offset)
            {
                _backlog.Dequeue();
            }
        }
    }

    /// <summary>One reconnect per lost connection, whoever noticed first; true when the session continues.</summary>
    private Task<bool> ResumeAsync(ProtocolSocket lost, CancellationToken token)
    {
        lock (_gate)
        {
            if (_socket != lost)
            {
                return Task.FromResult(true); // already resumed on a new connection
            }

            if (_token is null)
            {
                return Task.FromResult(false);
            }

            return _reconnect ??= Task.Run(() => ReconnectAsync(token), CancellationToken.None);
        }
    }

    private async Task<bool> ReconnectAsync(CancellationToken token)
    {
        var lostAt = Volatile.Read(ref _resetAt) is var r and > 0 ? r : Stopwatch.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(100);
        await _send.WaitAsync(token);
        try
        {
            while (Stopwatch.GetElapsedTime(lostAt) < Window)
            {
                long offset;
                lock (_gate)
                {
                    offset = _backlog.TryPeek(out var first) ? first.Start : _written;
                }

                ProtocolSocket? next = null;
                try
                {
                    next = await ProtocolSocket.ConnectAsync(new Uri($"{_url}?resume={Uri.EscapeDataString(_token!)}&offset={offset}&finals={Interlocked.Read(ref _finals)}"), token);
                    var first = await next.ReceiveTextAsync(token) is { } raw ? ServerMessage.Parse(raw.Json.Span, raw.ReceivedAt) : null;
                    if (first is not { Type: "ready", ResumeToken: { } resumed })
                    {
                        _stats.Failed(first?.Code ?? "closed");
                        await next.DisposeAsync();
                        return false;
                    }

                    _token = resumed;
                    (long Start, byte[] Pcm)[] backlog;
                    lock (_gate)
                    {
                        backlog = [.. _backlog];
                    }

                    foreach (var (_, pcm) in backlog)
                    {
                        await next.SendBinaryAsync(pcm, token);
                    }

                    var old = _socket;
                    lock (_gate)
                    {
                        _socket = next;
                        _reconnect = null;
                    }

                    _stats.Resumed(Stopwatch.GetElapsedTime(lostAt).TotalMilliseconds);
                    await old.DisposeAsync();
                    return true;
                }
                catch (Exception ex) when (ex is WebSocketException or IOException or HttpRequestException)
                {
                    if (next is not null)
                    {
                        await next.DisposeAsync();
                    }

                    await Task.Delay(delay * (0.5 + Random.Shared.NextDouble()), token);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
                }
            }

            _stats.Failed("window passed");
            return false;
        }
        finally
        {
            _send.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _socket.DisposeAsync();
        _send.Dispose();
    }
}
