using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Gateway.FunctionalTests.Infrastructure;

namespace Gateway.FunctionalTests.Deepgram;

/// <summary>
/// A Deepgram live client written from the protocol reference (shared/protocols/deepgram.md), not from the SDK:
/// query-string options, binary audio, <c>KeepAlive</c>/<c>Finalize</c>/<c>CloseStream</c> text frames, and the
/// full-utterance rule of §5 (append every <c>is_final</c> transcript; <c>speech_final</c> ends the utterance).
/// Every message is checked against the §7 invariants as it arrives.
/// </summary>
public sealed class DeepgramRawClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly StringBuilder _utterance = new();
    private double _lastFinalEnd;

    private DeepgramRawClient()
    {
        _socket.Options.CollectHttpResponseDetails = true;
    }

    public List<JsonElement> Messages { get; } = [];

    /// <summary>Completed utterances (joined finals up to each speech_final), then the unfinished rest at close.</summary>
    public List<string> Utterances { get; } = [];

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? CloseDescription => _socket.CloseStatusDescription;

    public string? RequestId { get; private set; }

    public static async Task<DeepgramRawClient> ConnectAsync(Uri uri, Action<ClientWebSocketOptions>? configure = null)
    {
        var client = new DeepgramRawClient();
        configure?.Invoke(client._socket.Options);
        using var cts = new CancellationTokenSource(StreamClient.Timeout);
        await client._socket.ConnectAsync(uri, cts.Token);
        client.RequestId = client._socket.HttpResponseHeaders?.TryGetValue("dg-request-id", out var id) == true ? id.First() : null;
        return client;
    }

    /// <summary>A handshake the server refuses: its HTTP status and headers.</summary>
    public static async Task<(HttpStatusCode Status, IReadOnlyDictionary<string, IEnumerable<string>> Headers)> RefusedAsync(Uri uri, Action<ClientWebSocketOptions>? configure = null)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        configure?.Invoke(socket.Options);
        using var cts = new CancellationTokenSource(StreamClient.Timeout);
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, cts.Token));
        return (socket.HttpStatusCode, socket.HttpResponseHeaders ?? new Dictionary<string, IEnumerable<string>>());
    }

    public Task SendAudioAsync(ReadOnlyMemory<byte> audio) =>
        _socket.SendAsync(audio, WebSocketMessageType.Binary, true, CancellationToken.None).AsTask().WaitAsync(StreamClient.Timeout);

    /// <summary>Audio in chunks of <paramref name="chunkBytes"/> (the SDKs send whatever the app hands them).</summary>
    public async Task SendAudioAsync(byte[] audio, int chunkBytes)
    {
        for (var offset = 0; offset < audio.Length; offset += chunkBytes)
        {
            await SendAudioAsync(audio.AsMemory(offset, Math.Min(chunkBytes, audio.Length - offset)));
        }
    }

    public Task SendTextAsync(string text) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(StreamClient.Timeout);

    public Task KeepAliveAsync() => SendTextAsync("""{"type":"KeepAlive"}""");

    public Task FinalizeAsync() => SendTextAsync("""{"type":"Finalize"}""");

    public Task CloseStreamAsync() => SendTextAsync("""{"type":"CloseStream"}""");

    /// <summary>The next message, or null once the server closed.</summary>
    public async Task<JsonElement?> NextAsync()
    {
        var text = await TestSockets.ReceiveTextAsync(_socket);
        if (text is null)
        {
            if (_utterance.Length > 0)
            {
                Utterances.Add(_utterance.ToString());
                _utterance.Clear();
            }

            return null;
        }

        var message = JsonDocument.Parse(text).RootElement.Clone();
        Messages.Add(message);
        if (message.GetProperty("type").GetString() == "Results")
        {
            CheckResults(message);
        }

        return message;
    }

    /// <summary>Reads until a message matches, failing if the server closes first.</summary>
    public async Task<JsonElement> ExpectAsync(Func<JsonElement, bool> match)
    {
        while (await NextAsync() is { } message)
        {
            if (match(message))
            {
                return message;
            }
        }

        throw new Xunit.Sdk.XunitException($"closed ({CloseStatus} {CloseDescription}) before the expected message; got {Messages.Count} messages");
    }

    public async Task ReceiveUntilClosedAsync()
    {
        while (await NextAsync() is not null)
        {
        }
    }

    public IEnumerable<JsonElement> Finals => Messages.Where(m => Type(m) == "Results" && m.GetProperty("is_final").GetBoolean());

    public IEnumerable<JsonElement> Interims => Messages.Where(m => Type(m) == "Results" && !m.GetProperty("is_final").GetBoolean());

    public static string Type(JsonElement message) => message.GetProperty("type").GetString()!;

    public static string Transcript(JsonElement results) =>
        results.GetProperty("channel").GetProperty("alternatives")[0].GetProperty("transcript").GetString()!;

    /// <summary>§4 fields present, §5 invariants held, and the full-utterance rule applied.</summary>
    private void CheckResults(JsonElement m)
    {
        var isFinal = m.GetProperty("is_final").GetBoolean();
        var speechFinal = m.GetProperty("speech_final").GetBoolean();
        _ = m.GetProperty("from_finalize").GetBoolean();
        var start = m.GetProperty("start").GetDouble();
        var duration = m.GetProperty("duration").GetDouble();
        Assert.Equal(2, m.GetProperty("channel_index").GetArrayLength());
        Assert.False(string.IsNullOrEmpty(m.GetProperty("metadata").GetProperty("request_id").GetString()));
        var alternative = m.GetProperty("channel").GetProperty("alternatives")[0];
        _ = alternative.GetProperty("confidence").GetDouble();
        Assert.True(duration >= 0);
        Assert.True(!speechFinal || isFinal, "speech_final is only set with is_final");
        foreach (var word in alternative.GetProperty("words").EnumerateArray())
        {
            var wordStart = word.GetProperty("start").GetDouble();
            var wordEnd = word.GetProperty("end").GetDouble();
            Assert.InRange(wordStart, start - 0.001, start + duration + 0.001);
            Assert.InRange(wordEnd, wordStart, start + duration + 0.001);
        }

        if (!isFinal)
        {
            return;
        }

        Assert.True(start >= _lastFinalEnd - 0.001, $"finals must not overlap: {start} < {_lastFinalEnd}");
        _lastFinalEnd = start + duration;
        var transcript = alternative.GetProperty("transcript").GetString()!;
        if (transcript.Length > 0)
        {
            _utterance.Append(_utterance.Length > 0 ? " " : "").Append(transcript);
        }

        if (speechFinal && _utterance.Length > 0)
        {
            Utterances.Add(_utterance.ToString());
            _utterance.Clear();
        }
    }

    public ValueTask DisposeAsync() => TestSockets.CloseAndDisposeAsync(_socket);
}
