using System.Net.WebSockets;

namespace Gateway.Load.Protocols;

/// <summary>The native protocol (docs/protocol.md): messages are already in the common vocabulary.</summary>
internal sealed class NativeClient(ProtocolSocket socket) : IProtocolClient
{
    public WebSocketCloseStatus? CloseStatus => socket.CloseStatus;

    public async Task<ServerMessage?> StartAsync(int endpointSilenceMs, CancellationToken token)
    {
        await socket.SendTextAsync(
            $"{{\"type\":\"start\",\"encoding\":\"pcm_s16le\",\"sample_rate\":16000,\"channels\":1,\"interim_results\":true,\"segmentation\":{{\"endpoint_silence_ms\":{endpointSilenceMs}}}}}", token);
        return await ReceiveAsync(token);
    }

    public ValueTask SendAudioAsync(ReadOnlyMemory<byte> pcm, CancellationToken token) => socket.SendBinaryAsync(pcm, token);

    public Task SendEndAsync(CancellationToken token) => socket.SendTextAsync("{\"type\":\"close\"}", token);

    public async Task<ServerMessage?> ReceiveAsync(CancellationToken token) =>
        await socket.ReceiveTextAsync(token) is { } m ? ServerMessage.Parse(m.Json.Span, m.ReceivedAt) : null;

    public ValueTask DisposeAsync() => socket.DisposeAsync();
}
