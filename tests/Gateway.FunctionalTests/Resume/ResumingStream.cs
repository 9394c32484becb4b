using System.Text.Json;
using Gateway.FunctionalTests.Infrastructure;

namespace Gateway.FunctionalTests.Resume;

/// <summary>
/// A native client that survives drops the way docs/protocol.md ("Resume") says a client should: it keeps what the
/// server has not acked, counts the finals it received, and on a drop reconnects with its latest token, resending
/// from its last ack. Every message of every connection (acks aside) lands in <see cref="Messages"/>.
/// </summary>
internal sealed class ResumingStream : IAsyncDisposable
{
    private readonly TestGateway _gateway;
    private readonly DroppingProxy _proxy;
    private StreamClient? _client;
    private readonly string _credential;
    private Task _reading = Task.CompletedTask;

    /// <param name="credential">Query parameters every connection adds (auth on: <c>token=KEY</c>).</param>
    public ResumingStream(TestGateway gateway, DroppingProxy proxy, string credential = "")
    {
        _gateway = gateway;
        _proxy = proxy;
        _credential = credential;
    }

    public List<JsonElement> Messages { get; } = [];

    /// <summary>The connection in use now.</summary>
    public StreamClient Current => _client!;

    public string SessionId { get; private set; } = "";

    public string Token { get; private set; } = "";

    /// <summary>Finals and segment errors received, over every connection (what <c>finals=</c> tells the server).</summary>
    public long Finals { get; private set; }

    /// <summary>The offset the last resume said it resends from (the client must resend from exactly there).</summary>
    public long ResumedFrom { get; private set; }

    /// <summary>The latest ack over every connection: the client keeps audio from here on.</summary>
    public long Acked { get; private set; }

    public async Task<JsonElement> StartAsync(object? settings = null)
    {
        _client = await StreamClient.ConnectAsync(_proxy.Through(_gateway.Stream(query: _credential.Length > 0 ? "?" + _credential : "")));
        var ready = await _client.StartAsync(settings);
        OnReady(ready);
        _reading = ReadAsync(_client);
        return ready;
    }

    public Task SendAsync(ReadOnlyMemory<byte> pcm) => _client!.SendAudioAsync(pcm);

    /// <summary>Sends 16 kHz PCM16 bytes [from, to) in 100 ms frames, paced at 4x real time.</summary>
    public async Task SendAsync(byte[] pcm, int from, int to)
    {
        const int frame = 3200;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var offset = from; offset < to; offset += frame)
        {
            await _client!.SendAudioAsync(pcm.AsMemory(offset, Math.Min(frame, to - offset)));
            var due = TimeSpan.FromMilliseconds((offset - from + frame) / 32.0 / 4);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }
        }
    }

    /// <summary>Waits until the server has acked at least <paramref name="frames"/> (the client's view).</summary>
    public async Task WaitAckedAsync(long frames)
    {
        using var cts = new CancellationTokenSource(StreamClient.Timeout);
        while (Math.Max(Acked, _client!.LastAck) < frames)
        {
            await Task.Delay(20, cts.Token);
        }

        Acked = Math.Max(Acked, _client.LastAck);
    }

    /// <summary>The network drops: every connection through the proxy is reset.</summary>
    public async Task CutAsync()
    {
        _proxy.ResetAll();
        await _reading.WaitAsync(StreamClient.Timeout);
        _client!.Abort();
        await _client.DisposeAsync();
    }

    /// <summary>Reconnects with the latest token, from the latest ack (or <paramref name="offset"/>); returns the first message (ready or error).</summary>
    public async Task<JsonElement> ResumeAsync(long? offset = null, long? finals = null)
    {
        var from = offset ?? Acked;
        ResumedFrom = from;
        _client = await StreamClient.ConnectAsync(_proxy.Through(_gateway.Stream(query: $"?resume={Token}&offset={from}&finals={finals ?? Finals}" + (_credential.Length > 0 ? "&" + _credential : ""))));
        var first = await _client.ReceiveAsync();
        if (first.GetProperty("type").GetString() == "ready")
        {
            OnReady(first);
            _reading = ReadAsync(_client);
        }

        return first;
    }

    /// <summary>Waits for the server to end the current connection and returns every message of the session.</summary>
    public async Task<List<JsonElement>> WaitClosedAsync()
    {
        await _reading.WaitAsync(StreamClient.Timeout);
        return Messages;
    }

    /// <summary>Closes gracefully and returns every message of the session.</summary>
    public async Task<List<JsonElement>> CloseAsync()
    {
        await _client!.SendJsonAsync(new { type = "close" });
        await _reading.WaitAsync(TimeSpan.FromSeconds(60));
        return Messages;
    }

    private void OnReady(JsonElement ready)
    {
        Messages.Add(ready);
        SessionId = ready.GetProperty("session_id").GetString()!;
        Token = ready.GetProperty("resume_token").GetString()!;
    }

    private async Task ReadAsync(StreamClient client)
    {
        try
        {
            while (await client.ReceiveOrCloseAsync() is { } message)
            {
                Acked = Math.Max(Acked, client.LastAck);
                Messages.Add(message);
                if (message.GetProperty("type").GetString() == "final" || message.TryGetProperty("segment_id", out _) && message.GetProperty("type").GetString() == "error")
                {
                    Finals++;
                }
            }
        }
        catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or OperationCanceledException or IOException)
        {
            // The drop.
        }

        Acked = Math.Max(Acked, client.LastAck);
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }
    }
}
