using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Gateway.Upstream.Tests.Simulator;

/// <summary>A plain ClientWebSocket wrapper for driving the simulator in tests.</summary>
internal sealed class SimClient : IAsyncDisposable
{
    private static readonly TimeSpan DefaultReceiveTimeout = TimeSpan.FromSeconds(5);

    private SimClient(ClientWebSocket socket) => Socket = socket;

    public ClientWebSocket Socket { get; }

    public static async Task<SimClient> ConnectAsync(Uri url, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        configure?.Invoke(socket.Options);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await socket.ConnectAsync(url, timeout.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new SimClient(socket);
    }

    public Task SendTextAsync(string text) =>
        Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    public Task ConfigAsync(string wavName, string mode = "2pass", string extra = "") =>
        SendTextAsync($$"""{"mode":"{{mode}}","chunk_size":[5,10,5],"chunk_interval":10,"wav_name":"{{wavName}}","wav_format":"pcm","is_speaking":true{{extra}}}""");

    public Task EosAsync() => SendTextAsync("""{"is_speaking":false}""");

    public Task SendBinaryAsync(ReadOnlyMemory<byte> data) =>
        Socket.SendAsync(data, WebSocketMessageType.Binary, true, CancellationToken.None).AsTask();

    /// <summary>Sends audio in frames of <paramref name="frameBytes"/>, or random sizes (seeded) when null.</summary>
    public async Task SendAudioAsync(byte[] audio, int? frameBytes = 3200, int seed = 1)
    {
        var random = new Random(seed);
        for (var at = 0; at < audio.Length;)
        {
            var size = Math.Min(frameBytes ?? random.Next(1, 9000), audio.Length - at);
            await SendBinaryAsync(audio.AsMemory(at, size));
            at += size;
        }
    }

    /// <summary>The next text message, or null when the server closed or the connection broke.</summary>
    public async Task<string?> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultReceiveTimeout);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            WebSocketReceiveResult result;
            try
            {
                result = await Socket.ReceiveAsync(buffer, cts.Token);
            }
            catch (WebSocketException)
            {
                return null;
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(message.ToArray());
            }
        }
    }

    /// <summary>Receives until a message satisfies <paramref name="isLast"/>; returns all of them in order.</summary>
    public async Task<List<string>> ReceiveUntilAsync(Func<JsonElement, bool> isLast, TimeSpan? timeout = null)
    {
        var messages = new List<string>();
        while (true)
        {
            var text = await ReceiveAsync(timeout) ?? throw new InvalidOperationException("Connection ended before the expected message. Got: " + string.Join(" | ", messages));
            messages.Add(text);
            using var doc = JsonDocument.Parse(text);
            if (isLast(doc.RootElement))
            {
                return messages;
            }
        }
    }

    public Task<List<string>> ReceiveUntilFinalAsync(TimeSpan? timeout = null) =>
        ReceiveUntilAsync(e => e.TryGetProperty("is_final", out var f) && f.ValueKind == JsonValueKind.True, timeout);

    /// <summary>Asserts nothing arrives within <paramref name="window"/> (and the connection stays up).</summary>
    public async Task AssertSilentAsync(TimeSpan window)
    {
        using var cts = new CancellationTokenSource(window);
        var buffer = new byte[1024];
        try
        {
            var result = await Socket.ReceiveAsync(buffer, cts.Token);
            Assert.Fail($"Expected silence, got {result.MessageType}: {Encoding.UTF8.GetString(buffer, 0, result.Count)}");
        }
        catch (OperationCanceledException)
        {
            // Silence, as expected. A cancelled receive aborts a ClientWebSocket, so the caller is done with it.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Socket.State == WebSocketState.Open)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // Already broken: nothing to close.
            }
        }

        Socket.Dispose();
    }
}
