using System.Buffers;
using System.Net.WebSockets;

namespace Gateway.Core.Protocols.Deepgram;

/// <summary>One queued message: a rented buffer (or none, for an empty message) and its length.</summary>
internal readonly record struct StreamFrame(byte[]? Buffer, int Length, WebSocketMessageType Type)
{
    public static StreamFrame Copy(ReadOnlySpan<byte> data, WebSocketMessageType type)
    {
        var buffer = data.IsEmpty ? null : ArrayPool<byte>.Shared.Rent(data.Length);
        data.CopyTo(buffer);
        return new StreamFrame(buffer, data.Length, type);
    }

    public void Return()
    {
        if (Buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(Buffer);
        }
    }
}
