using System.Net.WebSockets;

namespace Gateway.Load.Protocols;

/// <summary>
/// One session through one of the gateway's endpoints, with its server messages translated to the native
/// vocabulary (<c>ready</c>, <c>wait</c>, <c>partial</c>, <c>final</c>, <c>error</c>, <c>overflow</c>) so one
/// analysis serves every protocol. One sender and one receiver may run concurrently.
/// </summary>
internal interface IProtocolClient : IAsyncDisposable
{
    WebSocketCloseStatus? CloseStatus { get; }

    /// <summary>Configures the session (16 kHz mono PCM16) and returns <c>ready</c>, or the refusal or error; null if closed.</summary>
    Task<ServerMessage?> StartAsync(int endpointSilenceMs, CancellationToken token);

    ValueTask SendAudioAsync(ReadOnlyMemory<byte> pcm, CancellationToken token);

    /// <summary>The protocol's graceful end: pending results are delivered, then the session closes.</summary>
    Task SendEndAsync(CancellationToken token);

    /// <summary>The next translated message, or null when the session is over.</summary>
    Task<ServerMessage?> ReceiveAsync(CancellationToken token);
}
