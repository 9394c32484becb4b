using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Gateway.FunctionalTests.Infrastructure;

/// <summary>A client of the native protocol over a real socket, written from docs/protocol.md.</summary>
public sealed class StreamClient : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly ClientWebSocket _socket = new();

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? CloseDescription => _socket.CloseStatusDescription;

    public WebSocketState State => _socket.State;

    public static async Task<StreamClient> ConnectAsync(Uri uri, Action<ClientWebSocketOptions>? configure = null)
    {
        var client = new StreamClient();
        configure?.Invoke(client._socket.Options);
        using var cts = new CancellationTokenSource(Timeout);
        await client._socket.ConnectAsync(uri, cts.Token);
        return client;
    }

    /// <summary>Connects the way a same-origin browser page does (it sends <c>Origin</c>), which may carry its credential in the start message.</summary>
    public static Task<StreamClient> ConnectAsBrowserAsync(Uri uri) =>
        ConnectAsync(uri, o => o.SetRequestHeader("Origin", $"http://{uri.Authority}"));

    public Task SendTextAsync(string text) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(Timeout);

    public Task SendJsonAsync(object message) => SendTextAsync(JsonSerializer.Serialize(message));

    public Task SendAudioAsync(ReadOnlyMemory<byte> audio) =>
        _socket.SendAsync(audio, WebSocketMessageType.Binary, true, CancellationToken.None).AsTask().WaitAsync(Timeout);

    /// <summary>Starts a session and returns the ready message.</summary>
    public async Task<JsonElement> StartAsync(object? settings = null)
    {
        var start = new Dictionary<string, object?> { ["type"] = "start" };
        if (settings is not null)
        {
            foreach (var p in settings.GetType().GetProperties())
            {
                start[p.Name] = p.GetValue(settings);
            }
        }

        await SendJsonAsync(start);
        var ready = await ReceiveAsync();
        Assert.Equal("ready", ready.GetProperty("type").GetString());
        return ready;
    }

    /// <summary>The offset of the server's latest <c>ack</c> (the input sample frames it holds).</summary>
    public long LastAck { get; private set; }

    /// <summary>The next server message, or null once the server has closed. Acks are bookkeeping: recorded in <see cref="LastAck"/>, not returned.</summary>
    public async Task<JsonElement?> ReceiveOrCloseAsync()
    {
        while (await TestSockets.ReceiveTextAsync(_socket) is { } text)
        {
            var message = JsonDocument.Parse(text).RootElement.Clone();
            if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("type", out var type) || type.GetString() != "ack")
            {
                return message;
            }

            LastAck = message.GetProperty("offset").GetInt64();
        }

        return null;
    }

    public async Task<JsonElement> ReceiveAsync() =>
        await ReceiveOrCloseAsync() ?? throw new InvalidOperationException($"closed by server: {CloseStatus} {CloseDescription}");

    /// <summary>Reads until the server closes; returns the messages seen on the way.</summary>
    public async Task<List<JsonElement>> ReceiveUntilClosedAsync()
    {
        var messages = new List<JsonElement>();
        while (await ReceiveOrCloseAsync() is { } message)
        {
            messages.Add(message);
        }

        return messages;
    }

    public void Abort() => _socket.Abort();

    public ValueTask DisposeAsync() => TestSockets.CloseAndDisposeAsync(_socket);
}
