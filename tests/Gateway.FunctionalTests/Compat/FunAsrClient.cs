using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Gateway.FunctionalTests.Infrastructure;

namespace Gateway.FunctionalTests.Compat;

/// <summary>
/// A FunASR client written from the protocol reference (funasr.md §3, §8.1): offers subprotocol <c>binary</c> like
/// the Python client, sends configs as text and PCM as binary, and reads replies both as raw text (to check the
/// C++ servers' sorted compact form) and as JSON.
/// </summary>
public sealed class FunAsrClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();

    public string? SubProtocol => _socket.SubProtocol;

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public static async Task<FunAsrClient> ConnectAsync(Uri uri)
    {
        var client = new FunAsrClient();
        client._socket.Options.AddSubProtocol("binary");
        using var cts = new CancellationTokenSource(StreamClient.Timeout);
        await client._socket.ConnectAsync(uri, cts.Token);
        return client;
    }

    /// <summary>The config the Python client sends at the start of each file (PYC <c>record_from_scp</c>).</summary>
    public Task SendPythonConfigAsync(string mode, string wavName) =>
        SendTextAsync($$"""{"mode":"{{mode}}","chunk_size":[5,10,5],"chunk_interval":10,"encoder_chunk_look_back":4,"decoder_chunk_look_back":0,"audio_fs":16000,"wav_name":"{{wavName}}","wav_format":"pcm","is_speaking":true,"hotwords":"","itn":true}""");

    public Task SendTextAsync(string text) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(StreamClient.Timeout);

    /// <summary>PCM in fixed-size frames, as the clients slice it (60 ms = 1,920 bytes for the Python client).</summary>
    public async Task SendAudioAsync(byte[] audio, int frameBytes = 1_920)
    {
        for (var offset = 0; offset < audio.Length; offset += frameBytes)
        {
            var frame = audio.AsMemory(offset, Math.Min(frameBytes, audio.Length - offset));
            await _socket.SendAsync(frame, WebSocketMessageType.Binary, true, CancellationToken.None).AsTask().WaitAsync(StreamClient.Timeout);
        }
    }

    /// <summary>The next reply as raw text; null once the server closed.</summary>
    public async Task<string?> ReceiveRawAsync()
    {
        using var cts = new CancellationTokenSource(StreamClient.Timeout);
        var buffer = new byte[64 * 1024];
        var total = 0;
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer.AsMemory(total), cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                if (_socket.State == WebSocketState.CloseReceived)
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                }

                return null;
            }

            total += result.Count;
            if (result.EndOfMessage)
            {
                Assert.Equal(WebSocketMessageType.Text, result.MessageType);
                return Encoding.UTF8.GetString(buffer, 0, total);
            }
        }
    }

    public async Task<string> ExpectRawAsync() =>
        await ReceiveRawAsync() ?? throw new InvalidOperationException($"closed by server: {CloseStatus}");

    /// <summary>
    /// The C++ 2pass client's loop: every message up to and including the first <c>is_final:true</c>.
    /// </summary>
    public async Task<List<JsonElement>> ReceiveUntilFinalAsync()
    {
        var messages = new List<JsonElement>();
        while (true)
        {
            var message = JsonDocument.Parse(await ExpectRawAsync()).RootElement.Clone();
            messages.Add(message);
            if (message.TryGetProperty("is_final", out var f) && f.GetBoolean())
            {
                return messages;
            }
        }
    }

    /// <summary>PYC at HEAD: after <c>{"is_speaking":false,"is_end":true}</c>, messages up to the one with <c>is_end</c>.</summary>
    public async Task<List<JsonElement>> ReceiveUntilEndAckAsync()
    {
        var messages = new List<JsonElement>();
        while (true)
        {
            var message = JsonDocument.Parse(await ExpectRawAsync()).RootElement.Clone();
            messages.Add(message);
            if (message.TryGetProperty("is_end", out var end) && end.GetBoolean())
            {
                return messages;
            }
        }
    }

    /// <summary>Closes from the client side and returns whatever the server still sent before its close.</summary>
    public async Task<List<string>> CloseAndDrainAsync()
    {
        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None).WaitAsync(StreamClient.Timeout);
        var rest = new List<string>();
        while (await ReceiveRawAsync() is { } message)
        {
            rest.Add(message);
        }

        return rest;
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", cts.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }
        }

        _socket.Dispose();
    }
}
