namespace Gateway.Upstream.WebSockets;

/// <summary>A parsed server frame header.</summary>
internal readonly record struct FrameHeader(WebSocketOpcode Opcode, bool Fin, long PayloadLength, int HeaderLength);
