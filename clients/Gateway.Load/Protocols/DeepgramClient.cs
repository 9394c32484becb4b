using System.Net.WebSockets;
using System.Text.Json;

namespace Gateway.Load.Protocols;

/// <summary>
/// The Deepgram-compatible live endpoint (docs/deepgram.md): options in the URL (16 kHz linear16, interim results;
/// the endpoint silence is the gateway's), no start message, so the session is taken as ready once open.
/// <c>is_final:false</c> results become <c>partial</c>, each <c>is_final</c> result a <c>final</c> (end =
/// start + duration); <c>CloseStream</c> ends it and <c>Metadata</c> precedes the close.
/// </summary>
internal sealed class DeepgramClient(ProtocolSocket socket) : IProtocolClient
{
    public const string Query = "?encoding=linear16&sample_rate=16000&interim_results=true&punctuate=true";

    private long _finals;

    public WebSocketCloseStatus? CloseStatus => socket.CloseStatus;

    public Task<ServerMessage?> StartAsync(int endpointSilenceMs, CancellationToken token) =>
        Task.FromResult<ServerMessage?>(new ServerMessage("ready", null, null, null, null, System.Diagnostics.Stopwatch.GetTimestamp()));

    public ValueTask SendAudioAsync(ReadOnlyMemory<byte> pcm, CancellationToken token) => socket.SendBinaryAsync(pcm, token);

    public Task SendEndAsync(CancellationToken token) => socket.SendTextAsync("{\"type\":\"CloseStream\"}", token);

    public async Task<ServerMessage?> ReceiveAsync(CancellationToken token)
    {
        while (await socket.ReceiveTextAsync(token) is { } raw)
        {
            using var doc = JsonDocument.Parse(raw.Json);
            var root = doc.RootElement;
            switch (root.GetProperty("type").GetString())
            {
                case "Results":
                    var text = root.GetProperty("channel").GetProperty("alternatives")[0].GetProperty("transcript").GetString();
                    if (!root.GetProperty("is_final").GetBoolean())
                    {
                        return new ServerMessage("partial", _finals + 1, text, null, null, raw.ReceivedAt);
                    }

                    if (string.IsNullOrEmpty(text))
                    {
                        continue; // an empty Finalize answer carries no segment
                    }

                    var end = (root.GetProperty("start").GetDouble() + root.GetProperty("duration").GetDouble()) * 1000;
                    return new ServerMessage("final", ++_finals, text, null, end, raw.ReceivedAt);
                case "Error":
                    return new ServerMessage("error", null, null, root.TryGetProperty("variant", out var v) ? v.GetString() : "error", null, raw.ReceivedAt);
                case "Warning" when root.TryGetProperty("variant", out var w) && w.GetString() == "audio_overflow":
                    return new ServerMessage("overflow", null, null, "audio_overflow", null, raw.ReceivedAt);
                default:
                    continue; // SpeechStarted, UtteranceEnd, Metadata
            }
        }

        return null;
    }

    public ValueTask DisposeAsync() => socket.DisposeAsync();
}
