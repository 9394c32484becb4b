using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Gateway.FunctionalTests.Infrastructure;

/// <summary>
/// A room viewer written from docs/rooms.md, over a WebSocket (<c>/captions</c>) or Server-Sent Events
/// (<c>/events</c>): records every message in the background; tests wait on what it has seen.
/// </summary>
public sealed class RoomViewerClient : IAsyncDisposable
{
    private readonly List<JsonElement> _messages = [];
    private readonly List<long?> _ids = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly ClientWebSocket? _socket;
    private readonly HttpClient? _http;
    private Task _reading = Task.CompletedTask;

    private RoomViewerClient(ClientWebSocket? socket, HttpClient? http)
    {
        _socket = socket;
        _http = http;
    }

    public string Kind => _socket is null ? "sse" : "ws";

    public WebSocketCloseStatus? CloseStatus => _socket?.CloseStatus;

    /// <summary>True once the server ended the stream.</summary>
    public bool Ended => _reading.IsCompleted;

    public static Task<RoomViewerClient> WebSocketAsync(TestGateway gateway, string room, string query = "") =>
        WebSocketAsync(gateway.WebSocket, room, query);

    /// <summary>A WebSocket viewer of any gateway or load balancer (<paramref name="webSocket"/>: its ws:// base).</summary>
    public static async Task<RoomViewerClient> WebSocketAsync(Uri webSocket, string room, string query = "")
    {
        var socket = new ClientWebSocket();
        using var cts = new CancellationTokenSource(StreamClient.Timeout);
        await socket.ConnectAsync(new Uri(webSocket, $"/v1/rooms/{room}/captions{query}"), cts.Token);
        var client = new RoomViewerClient(socket, null);
        client._reading = client.ReadWebSocketAsync();
        return client;
    }

    public static async Task<RoomViewerClient> EventStreamAsync(TestGateway gateway, string room, long? lastEventId = null)
    {
        var http = new HttpClient { BaseAddress = gateway.Http, Timeout = Timeout.InfiniteTimeSpan };
        var client = new RoomViewerClient(null, http);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/rooms/{room}/events");
        if (lastEventId is { } id)
        {
            request.Headers.Add("Last-Event-ID", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).WaitAsync(StreamClient.Timeout);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        client._reading = client.ReadEventStreamAsync(response);
        return client;
    }

    public List<JsonElement> Messages
    {
        get
        {
            lock (_messages)
            {
                return [.. _messages];
            }
        }
    }

    /// <summary>The SSE <c>id</c> of each message (null where it had none); WebSocket messages have none.</summary>
    public List<long?> Ids
    {
        get
        {
            lock (_messages)
            {
                return [.. _ids];
            }
        }
    }

    public List<JsonElement> OfType(string type) => Messages.Where(m => m.GetProperty("type").GetString() == type).ToList();

    /// <summary>Polls until the condition holds on the messages so far.</summary>
    public async Task WaitUntilAsync(Func<List<JsonElement>, bool> condition, TimeSpan timeout, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition(Messages))
        {
            Assert.True(clock.Elapsed < timeout, $"{Kind} viewer: timed out waiting for {what}; saw {Messages.Count} messages: {string.Join('\n', Messages.TakeLast(5))}");
            Assert.False(Ended && !condition(Messages), $"{Kind} viewer: the stream ended before {what} ({CloseStatus}); saw: {string.Join('\n', Messages.TakeLast(5))}");
            await Task.Delay(20);
        }
    }

    public Task WaitForEndAsync(TimeSpan timeout) => _reading.WaitAsync(timeout);

    private void Add(string json, long? id)
    {
        var message = JsonDocument.Parse(json).RootElement.Clone();
        lock (_messages)
        {
            _messages.Add(message);
            _ids.Add(id);
        }
    }

    private async Task ReadWebSocketAsync()
    {
        var buffer = new byte[256 * 1024];
        try
        {
            while (true)
            {
                var total = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket!.ReceiveAsync(buffer.AsMemory(total), _stop.Token);
                    total += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                    }

                    return;
                }

                Add(Encoding.UTF8.GetString(buffer, 0, total), null);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }
    }

    private async Task ReadEventStreamAsync(HttpResponseMessage response)
    {
        try
        {
            using (response)
            {
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_stop.Token), Encoding.UTF8);
                long? id = null;
                var data = new StringBuilder();
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    if (line.Length == 0)
                    {
                        if (data.Length > 0)
                        {
                            Add(data.ToString(), id);
                        }

                        data.Clear();
                        id = null;
                    }
                    else if (line.StartsWith("data: ", StringComparison.Ordinal))
                    {
                        data.Append(line.AsSpan(6));
                    }
                    else if (line.StartsWith("id: ", StringComparison.Ordinal))
                    {
                        id = long.Parse(line.AsSpan(4), System.Globalization.CultureInfo.InvariantCulture);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or HttpRequestException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_socket is not null)
        {
            await TestSockets.CloseAndDisposeAsync(_socket);
        }

        await _reading.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        _http?.Dispose();
        _stop.Dispose();
    }
}
