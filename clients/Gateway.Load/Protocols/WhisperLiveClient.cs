using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;

namespace Gateway.Load.Protocols;

/// <summary>
/// The WhisperLive-compatible endpoint (docs/whisperlive.md). Each <c>segments</c> message is a sliding window of
/// completed segments plus at most one partial: every completed segment not seen before becomes a <c>final</c>,
/// a changed trailing partial a <c>partial</c>. Segments are told apart by their start and end, which never change
/// once completed.
/// </summary>
internal sealed class WhisperLiveClient(ProtocolSocket socket) : IProtocolClient
{
    private readonly Queue<ServerMessage> _pending = new();
    private readonly HashSet<string> _completed = new(StringComparer.Ordinal);
    private string? _lastPartial;
    private long _finals;

    public WebSocketCloseStatus? CloseStatus => socket.CloseStatus;

    public async Task<ServerMessage?> StartAsync(int endpointSilenceMs, CancellationToken token)
    {
        // The endpoint silence is the gateway's configuration here: WhisperLive options have no such key.
        await socket.SendTextAsync(
            $"{{\"uid\":\"{Guid.NewGuid():N}\",\"language\":\"en\",\"task\":\"transcribe\",\"model\":\"small\",\"use_vad\":true,\"audio_format\":\"int16\",\"send_last_n_segments\":500}}", token);
        return await ReceiveAsync(token);
    }

    public ValueTask SendAudioAsync(ReadOnlyMemory<byte> pcm, CancellationToken token) => socket.SendBinaryAsync(pcm, token);

    public Task SendEndAsync(CancellationToken token) => socket.SendBinaryAsync("END_OF_AUDIO"u8.ToArray(), token).AsTask();

    public async Task<ServerMessage?> ReceiveAsync(CancellationToken token)
    {
        while (_pending.Count == 0)
        {
            if (await socket.ReceiveTextAsync(token) is not { } raw)
            {
                return null;
            }

            Translate(raw.Json, raw.ReceivedAt);
        }

        return _pending.Dequeue();
    }

    private void Translate(ReadOnlyMemory<byte> json, long at)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        if (root.TryGetProperty("message", out var message) && root.TryGetProperty("backend", out _))
        {
            _pending.Enqueue(new ServerMessage(message.GetString() == "SERVER_READY" ? "ready" : "info", null, null, null, null, at));
        }
        else if (root.TryGetProperty("status", out var status))
        {
            var s = status.GetString();
            _pending.Enqueue(new ServerMessage(s == "WAIT" ? "wait" : "error", null, null, s, null, at));
        }
        else if (root.TryGetProperty("message", out var other) && other.GetString() == "DISCONNECT")
        {
            _pending.Enqueue(new ServerMessage("disconnect", null, null, null, null, at));
        }
        else if (root.TryGetProperty("segments", out var segments))
        {
            foreach (var segment in segments.EnumerateArray())
            {
                var start = segment.GetProperty("start").GetString() ?? "";
                var end = segment.GetProperty("end").GetString() ?? "";
                var text = segment.GetProperty("text").GetString() ?? "";
                if (segment.GetProperty("completed").GetBoolean())
                {
                    if (_completed.Add(start + "|" + end))
                    {
                        _lastPartial = null;
                        var endMs = double.Parse(end, CultureInfo.InvariantCulture) * 1000;
                        _pending.Enqueue(new ServerMessage("final", ++_finals, text, null, endMs, at));
                    }
                }
                else if (text != _lastPartial)
                {
                    _lastPartial = text;
                    _pending.Enqueue(new ServerMessage("partial", _finals + 1, text, null, null, at));
                }
            }
        }
    }

    public ValueTask DisposeAsync() => socket.DisposeAsync();
}
