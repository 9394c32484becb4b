using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;

namespace Gateway.Load.Rooms;

/// <summary>
/// One viewer of a room over <c>/v1/rooms/{room}/captions</c>: stamps each final on arrival with its speaker and
/// session segment id, so it can be matched with the speaker's own final. Other messages are counted, not parsed.
/// </summary>
internal sealed class RoomViewerRecorder : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private Task _reading = Task.CompletedTask;

    public RoomViewerRecorder(string room) => Room = room;

    public string Room { get; }

    /// <summary>(speaker, session segment id) -> arrival timestamps (more than one is a duplicate).</summary>
    public Dictionary<(string Speaker, long Segment), List<long>> Finals { get; } = [];

    /// <summary>Each final's arrival and text, in arrival order (under the <see cref="Finals"/> lock).</summary>
    public List<(long At, string Text)> FinalTexts { get; } = [];

    /// <summary>Arrivals of <c>source_lost</c> / <c>source_restored</c> (an ingest's source gaps).</summary>
    public int SourceEvents { get; private set; }

    public long Messages { get; private set; }

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? Failure { get; private set; }

    public async Task ConnectAsync(Uri gateway, CancellationToken token)
    {
        _socket.Options.KeepAliveInterval = TimeSpan.Zero;
        var ws = new UriBuilder(gateway) { Scheme = gateway.Scheme == "https" ? "wss" : "ws", Path = $"/v1/rooms/{Room}/captions" }.Uri;
        await _socket.ConnectAsync(ws, token);
        _reading = ReadAsync(token);
    }

    private async Task ReadAsync(CancellationToken token)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var count = 0;
                ValueWebSocketReceiveResult r;
                do
                {
                    if (count == buffer.Length)
                    {
                        Array.Resize(ref buffer, buffer.Length * 2);
                    }

                    r = await _socket.ReceiveAsync(buffer.AsMemory(count), token);
                    count += r.Count;
                }
                while (!r.EndOfMessage && r.MessageType != WebSocketMessageType.Close);

                if (r.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                var at = Stopwatch.GetTimestamp();
                Messages++;
                // Every room message starts with its type, so partials (most of the traffic) cost one comparison.
                if (buffer.AsSpan(0, count).StartsWith("{\"type\":\"final\""u8))
                {
                    Record(buffer.AsSpan(0, count), at);
                }
                else if (buffer.AsSpan(0, count).StartsWith("{\"type\":\"source_"u8))
                {
                    SourceEvents++;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            Failure = ex.Message;
        }
    }

    private void Record(ReadOnlySpan<byte> json, long at)
    {
        using var doc = JsonDocument.Parse(json.ToArray());
        var root = doc.RootElement;
        var key = (root.GetProperty("speaker").GetString()!, root.GetProperty("session_segment_id").GetInt64());
        lock (Finals)
        {
            if (!Finals.TryGetValue(key, out var arrivals))
            {
                Finals[key] = arrivals = [];
            }

            arrivals.Add(at);
            FinalTexts.Add((at, root.TryGetProperty("text", out var text) ? text.GetString() ?? "" : ""));
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }

        await _reading.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        _socket.Dispose();
    }
}
