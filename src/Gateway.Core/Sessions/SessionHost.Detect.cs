using System.Net.WebSockets;
using Gateway.Core.Protocols;
using Gateway.Core.Protocols.Native;

namespace Gateway.Core.Sessions;

public sealed partial class SessionHost
{
    /// <summary>
    /// The root path: WhisperLive and FunASR clients both connect to <c>/</c>, so the protocol is picked from the
    /// first message (bounded in size and time), which the chosen protocol then handles as its own first message.
    /// A message no protocol claims gets an error in the native format and a close.
    /// </summary>
    public async Task RunDetectedAsync(WebSocket socket, Func<DetectedProtocol, ISessionProtocol> choose, CancellationToken aborted, Auth.SessionAccess? access = null)
    {
        var first = await FirstMessage.ReadAsync(socket, _services.Options.MaxMessageBytes, _services.Admission.IdleTimeout, _services.Time, aborted);
        if (first.Status == FirstMessageStatus.Closed)
        {
            return;
        }

        var detected = ProtocolDetection.Detect(first);
        if (detected == DetectedProtocol.Unknown)
        {
            Log.ProtocolNotDetected(_services.Logger, first.Status, first.Message.Length);
            var error = first.Status == FirstMessageStatus.Received
                ? new ClientError(
                    ErrorCodes.UnknownMessage,
                    "the first message is neither WhisperLive options (with \"uid\"), a FunASR config (\"chunk_size\", \"wav_name\", \"is_speaking\", \"mode\"...) nor {\"type\":\"start\"}",
                    CloseCodes.InvalidPayload)
                : ParseFirst(NativeProtocol.Instance, first, StreamSettings.Default).Error!;
            await RejectAsync(socket, NativeProtocol.Instance, error);
            return;
        }

        await RunAsync(socket, choose(detected), new StartResult(StreamSettings.Default, null), aborted, first, access);
    }
}
