using System.Buffers;
using System.Net.WebSockets;
using System.Text;

namespace Gateway.Core.Sessions;

/// <summary>
/// Reads a connection's first message before a session exists: for protocols that admit after it and for
/// the root path, which picks a protocol from it. Bounded in size and time.
/// </summary>
public static class FirstMessage
{
    public static async Task<FirstMessageResult> ReadAsync(WebSocket socket, int maxBytes, TimeSpan timeout, TimeProvider time, CancellationToken aborted)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        using var timer = time.CreateTimer(static s => ((CancellationTokenSource)s!).Cancel(), cts, timeout, Timeout.InfiniteTimeSpan);
        var buffer = new ArrayBufferWriter<byte>(1024);
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.GetMemory(4096), cts.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return new FirstMessageResult(FirstMessageStatus.Closed, default, default);
                }

                buffer.Advance(result.Count);
                if (buffer.WrittenCount > maxBytes)
                {
                    return new FirstMessageResult(FirstMessageStatus.TooBig, default, result.MessageType);
                }

                if (result.EndOfMessage)
                {
                    return new FirstMessageResult(FirstMessageStatus.Received, buffer.WrittenMemory, result.MessageType);
                }
            }
        }
        catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
        {
            return new FirstMessageResult(FirstMessageStatus.TimedOut, default, default);
        }
    }
}

public enum FirstMessageStatus
{
    Received,
    Closed,
    TooBig,
    TimedOut,
}

public readonly record struct FirstMessageResult(FirstMessageStatus Status, ReadOnlyMemory<byte> Message, WebSocketMessageType Type)
{
    public string Text => Encoding.UTF8.GetString(Message.Span);
}
