using System.Net.WebSockets;
using System.Text.Json;

namespace Gateway.Load.Protocols;

/// <summary>
/// The FunASR-compatible 2pass endpoint (docs/funasr-endpoint.md), one utterance per session (one EOS at the end,
/// so <c>end_time</c> counts from the session's start). A <c>2pass-online</c> delta becomes a <c>partial</c>,
/// each <c>2pass-offline</c> sentence a <c>final</c>. FunASR servers do not answer the config, so the session is
/// taken as ready once it is sent; a full server answers with an <c>error</c> message instead.
/// </summary>
internal sealed class FunAsrClient(ProtocolSocket socket) : IProtocolClient
{
    private long _finals;
    private bool _ended;

    public WebSocketCloseStatus? CloseStatus => socket.CloseStatus;

    public async Task<ServerMessage?> StartAsync(int endpointSilenceMs, CancellationToken token)
    {
        await socket.SendTextAsync(
            "{\"mode\":\"2pass\",\"chunk_size\":[5,10,5],\"chunk_interval\":10,\"wav_name\":\"load\",\"wav_format\":\"pcm\",\"audio_fs\":16000,\"is_speaking\":true,\"itn\":true}", token);
        return new ServerMessage("ready", null, null, null, null, System.Diagnostics.Stopwatch.GetTimestamp());
    }

    public ValueTask SendAudioAsync(ReadOnlyMemory<byte> pcm, CancellationToken token) => socket.SendBinaryAsync(pcm, token);

    public Task SendEndAsync(CancellationToken token) => socket.SendTextAsync("{\"is_speaking\":false,\"is_end\":true}", token);

    public async Task<ServerMessage?> ReceiveAsync(CancellationToken token)
    {
        while (!_ended && await socket.ReceiveTextAsync(token) is { } raw)
        {
            using var doc = JsonDocument.Parse(raw.Json);
            var root = doc.RootElement;
            if (root.TryGetProperty("error", out var error))
            {
                var code = error.GetString();
                return new ServerMessage(code == "server_full" ? "wait" : "error", null, null, code, null, raw.ReceivedAt);
            }

            if (root.TryGetProperty("is_end", out var isEnd) && isEnd.GetBoolean())
            {
                // The acknowledgement of the EOS: everything has been delivered; the client closes, as FunASR clients do.
                _ended = true;
                await socket.CloseAsync(token);
                return root.TryGetProperty("is_final", out var ok) && !ok.GetBoolean()
                    ? new ServerMessage("error", null, null, "incomplete_utterance", null, raw.ReceivedAt)
                    : null;
            }

            var mode = root.TryGetProperty("mode", out var m) ? m.GetString() : null;
            var text = root.TryGetProperty("text", out var t) ? t.GetString() : null;
            if (mode == "2pass-offline")
            {
                double? end = root.TryGetProperty("end_time", out var e) && e.ValueKind == JsonValueKind.Number ? e.GetDouble() : null;
                return new ServerMessage("final", ++_finals, text, null, end, raw.ReceivedAt);
            }

            if (mode == "2pass-online" && !string.IsNullOrEmpty(text))
            {
                return new ServerMessage("partial", _finals + 1, text, null, null, raw.ReceivedAt);
            }
        }

        return null;
    }

    public ValueTask DisposeAsync() => socket.DisposeAsync();
}
