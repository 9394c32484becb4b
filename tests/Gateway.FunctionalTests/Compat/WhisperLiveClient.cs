using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Gateway.FunctionalTests.Infrastructure;

namespace Gateway.FunctionalTests.Compat;

/// <summary>
/// A WhisperLive client written from the protocol reference (whisperlive.md §3, §9): it behaves like the Python
/// <c>Client</c>: drops messages with another uid, tracks recording / waiting / server_error, and keeps completed
/// segments as <c>process_segments</c> does (only for the faster_whisper backend, only if start ≥ last end).
/// </summary>
public sealed class WhisperLiveClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();

    private WhisperLiveClient(string uid) => Uid = uid;

    public string Uid { get; }

    public bool Recording { get; private set; }

    public bool Waiting { get; private set; }

    public bool ServerError { get; private set; }

    public string? ServerBackend { get; private set; }

    public string? Language { get; private set; }

    public double? WaitMinutes { get; private set; }

    public string? LastStatusMessage { get; private set; }

    public int ForeignMessages { get; private set; }

    /// <summary>Completed segments kept by the Python rules.</summary>
    public List<(string Start, string End, string Text)> Transcript { get; } = [];

    public JsonElement? LastSegment { get; private set; }

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? CloseStatusDescription => _socket.CloseStatusDescription;

    public static async Task<WhisperLiveClient> ConnectAsync(Uri uri, string? uid = null)
    {
        var client = new WhisperLiveClient(uid ?? Guid.NewGuid().ToString());
        using var cts = new CancellationTokenSource(StreamClient.Timeout);
        await client._socket.ConnectAsync(uri, cts.Token);
        return client;
    }

    /// <summary>The options <c>Client.on_open</c> sends (every key but audio_format), with overrides.</summary>
    public Task SendOptionsAsync(Action<Dictionary<string, object?>>? change = null)
    {
        var options = new Dictionary<string, object?>
        {
            ["uid"] = Uid,
            ["language"] = null,
            ["task"] = "transcribe",
            ["model"] = "small",
            ["use_vad"] = true,
            ["max_clients"] = 4,
            ["max_connection_time"] = 600,
            ["send_last_n_segments"] = 10,
            ["no_speech_thresh"] = 0.45,
            ["clip_audio"] = false,
            ["same_output_threshold"] = 10,
            ["enable_translation"] = false,
            ["target_language"] = "fr",
            ["hotwords"] = null,
            ["initial_prompt"] = null,
            ["enable_diarization"] = false,
            ["max_speakers"] = 10,
            ["word_timestamps"] = false,
            ["vad_parameters"] = null,
        };
        change?.Invoke(options);
        return SendTextAsync(JsonSerializer.Serialize(options));
    }

    public Task SendTextAsync(string text) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(StreamClient.Timeout);

    public Task SendAudioAsync(ReadOnlyMemory<byte> audio) =>
        _socket.SendAsync(audio, WebSocketMessageType.Binary, true, CancellationToken.None).AsTask().WaitAsync(StreamClient.Timeout);

    /// <summary>Python's form: the bytes as a binary frame.</summary>
    public Task SendEndOfAudioBinaryAsync() => SendAudioAsync("END_OF_AUDIO"u8.ToArray());

    /// <summary>iOS's form: a text frame.</summary>
    public Task SendEndOfAudioTextAsync() => SendTextAsync("END_OF_AUDIO");

    /// <summary>The next message for this uid, already handled as the Python client would; null once closed.</summary>
    public async Task<JsonElement?> ReceiveAsync()
    {
        while (true)
        {
            var message = await ReceiveAnyAsync();
            if (message is null)
            {
                Recording = false;
                return null;
            }

            var m = message.Value;
            if (!m.TryGetProperty("uid", out var uid) || uid.ValueKind != JsonValueKind.String || uid.GetString() != Uid)
            {
                ForeignMessages++;
                continue;
            }

            Handle(m);
            return m;
        }
    }

    public async Task<JsonElement> ExpectAsync() =>
        await ReceiveAsync() ?? throw new InvalidOperationException($"closed by server: {CloseStatus}");

    public async Task<List<JsonElement>> ReceiveUntilClosedAsync()
    {
        var messages = new List<JsonElement>();
        while (await ReceiveAsync() is { } message)
        {
            messages.Add(message);
        }

        return messages;
    }

    public ValueTask DisposeAsync() => TestSockets.CloseAndDisposeAsync(_socket);

    private void Handle(JsonElement m)
    {
        if (m.TryGetProperty("status", out var status))
        {
            var message = m.GetProperty("message");
            switch (status.GetString())
            {
                case "WAIT":
                    Waiting = true;
                    WaitMinutes = message.GetDouble(); // Python does round() on it: it must be a number
                    break;
                case "ERROR":
                    ServerError = true;
                    LastStatusMessage = message.GetString();
                    break;
                case "WARNING":
                    LastStatusMessage = message.GetString();
                    break;
            }

            return;
        }

        if (m.TryGetProperty("message", out var text) && text.GetString() == "DISCONNECT")
        {
            Recording = false;
            return;
        }

        if (m.TryGetProperty("message", out text) && text.GetString() == "SERVER_READY")
        {
            Recording = true;
            ServerBackend = m.GetProperty("backend").GetString();
            return;
        }

        if (m.TryGetProperty("language", out var language))
        {
            Language = language.GetString();
            return;
        }

        if (m.TryGetProperty("segments", out var segments))
        {
            ProcessSegments(segments);
        }
    }

    private void ProcessSegments(JsonElement segments)
    {
        var count = segments.GetArrayLength();
        var i = 0;
        foreach (var seg in segments.EnumerateArray())
        {
            var completed = seg.TryGetProperty("completed", out var c) && c.GetBoolean();
            if (i == count - 1 && !completed)
            {
                LastSegment = seg.Clone();
            }
            else if (ServerBackend == "faster_whisper" && completed
                && (Transcript.Count == 0 || Seconds(seg.GetProperty("start")) >= Seconds(Transcript[^1].End)))
            {
                Transcript.Add((seg.GetProperty("start").GetString()!, seg.GetProperty("end").GetString()!, seg.GetProperty("text").GetString()!));
            }

            i++;
        }

        _ = segments[count - 1]; // segments[-1]: an empty array would fail here, as it does in Python
    }

    private static double Seconds(JsonElement value) => double.Parse(value.GetString()!, CultureInfo.InvariantCulture);

    private static double Seconds(string value) => double.Parse(value, CultureInfo.InvariantCulture);

    private async Task<JsonElement?> ReceiveAnyAsync() =>
        await TestSockets.ReceiveTextAsync(_socket) is { } text ? JsonDocument.Parse(text).RootElement.Clone() : null;
}
