using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gateway.Cli.Tests.Infrastructure;

/// <summary>
/// A minimal RTSP 1.0 server (RFC 2326) for one client, enough for ffmpeg's RTSP demuxer: OPTIONS, DESCRIBE
/// (SDP, RFC 4566), SETUP with TCP interleaving, PLAY, TEARDOWN. It streams 16 kHz mono audio as RTP L16
/// (RFC 3551 §4.5.11, big-endian PCM: lossless, so watermarks survive) in 20 ms packets, then an RTCP BYE,
/// which ffmpeg takes as the end of the stream (it then sends TEARDOWN).
/// </summary>
/// <remarks>
/// Interleaved frame: <c>'$' | channel (1 byte) | length (2 bytes BE) | RTP packet</c>; RTP header: V=2, PT=96,
/// sequence, timestamp (samples), SSRC.
/// </remarks>
internal sealed class RtspServer : IAsyncDisposable
{
    private const int SamplesPerPacket = 320;
    private const uint Ssrc = 0x5EED1234;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly short[] _samples;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;

    public RtspServer(short[] samples)
    {
        _samples = samples;
        _listener.Start();
        _serving = ServeAsync();
    }

    public Uri Url => new($"rtsp://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/fixture");

    /// <summary>Completes when the client has torn the session down (or the connection ended).</summary>
    public Task Completion => _serving;

    /// <summary>RTSP methods in the order the client sent them.</summary>
    public List<string> Methods { get; } = [];

    public int PacketsSent { get; private set; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _serving.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // Stopping.
        }

        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
        var stream = client.GetStream();
        var reader = new InterleavedReader(stream);
        while (await reader.ReadRequestAsync(_stop.Token) is { } request)
        {
            var method = request.Split(' ', 2)[0];
            Methods.Add(method);
            var cseq = Header(request, "CSeq") ?? "0";
            switch (method)
            {
                case "OPTIONS":
                    await ReplyAsync(stream, cseq, "Public: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN\r\n");
                    break;
                case "DESCRIBE":
                    var sdp = "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=fixture\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\n"
                        + "m=audio 0 RTP/AVP 96\r\na=rtpmap:96 L16/16000/1\r\na=control:track1\r\n";
                    await ReplyAsync(stream, cseq, $"Content-Base: {Url}/\r\nContent-Type: application/sdp\r\nContent-Length: {Encoding.ASCII.GetByteCount(sdp)}\r\n", sdp);
                    break;
                case "SETUP":
                    var transport = Header(request, "Transport") ?? "";
                    if (!transport.Contains("RTP/AVP/TCP", StringComparison.Ordinal))
                    {
                        // Only interleaved TCP here: ask the client to retry with it.
                        await ReplyAsync(stream, cseq, "", status: "461 Unsupported Transport");
                        break;
                    }

                    await ReplyAsync(stream, cseq, "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\nSession: 12345678\r\n");
                    break;
                case "PLAY":
                    await ReplyAsync(stream, cseq, $"Session: 12345678\r\nRange: npt=0.000-\r\nRTP-Info: url={Url}/track1;seq=1;rtptime=0\r\n");
                    await StreamAudioAsync(stream);
                    break;
                case "TEARDOWN":
                    await ReplyAsync(stream, cseq, "Session: 12345678\r\n");
                    return;
                default:
                    await ReplyAsync(stream, cseq, "", status: "501 Not Implemented");
                    break;
            }
        }
    }

    private async Task StreamAudioAsync(NetworkStream stream)
    {
        var frame = new byte[4 + 12 + SamplesPerPacket * 2];
        ushort sequence = 1;
        for (var offset = 0; offset < _samples.Length; offset += SamplesPerPacket)
        {
            var count = Math.Min(SamplesPerPacket, _samples.Length - offset);
            var length = 12 + count * 2;
            frame[0] = (byte)'$';
            frame[1] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)length);
            frame[4] = 0x80;
            frame[5] = 96;
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(6), sequence++);
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(8), (uint)offset);
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(12), Ssrc);
            for (var i = 0; i < count; i++)
            {
                BinaryPrimitives.WriteInt16BigEndian(frame.AsSpan(16 + i * 2), _samples[offset + i]);
            }

            await stream.WriteAsync(frame.AsMemory(0, 4 + length), _stop.Token);
            PacketsSent++;
        }

        // A compound RTCP packet on the RTCP channel (RFC 3550 §6.1: it must start with a report): an empty
        // receiver report (PT 201), then BYE (PT 203, §6.6), each V=2, one 32-bit word after the header, our SSRC.
        var bye = new byte[4 + 16];
        bye[0] = (byte)'$';
        bye[1] = 1;
        BinaryPrimitives.WriteUInt16BigEndian(bye.AsSpan(2), 16);
        bye[4] = 0x80;
        bye[5] = 201;
        BinaryPrimitives.WriteUInt16BigEndian(bye.AsSpan(6), 1);
        BinaryPrimitives.WriteUInt32BigEndian(bye.AsSpan(8), Ssrc);
        bye[12] = 0x81;
        bye[13] = 203;
        BinaryPrimitives.WriteUInt16BigEndian(bye.AsSpan(14), 1);
        BinaryPrimitives.WriteUInt32BigEndian(bye.AsSpan(16), Ssrc);
        await stream.WriteAsync(bye, _stop.Token);
    }

    private static async Task ReplyAsync(NetworkStream stream, string cseq, string headers, string body = "", string status = "200 OK")
    {
        var reply = $"RTSP/1.0 {status}\r\nCSeq: {cseq}\r\n{headers}\r\n{body}";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(reply));
    }

    private static string? Header(string request, string name)
    {
        foreach (var line in request.Split("\r\n"))
        {
            if (line.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))
            {
                return line[(name.Length + 1)..].Trim();
            }
        }

        return null;
    }

    /// <summary>Reads RTSP requests, skipping interleaved frames the client sends (RTCP receiver reports).</summary>
    private sealed class InterleavedReader(NetworkStream stream)
    {
        private readonly byte[] _one = new byte[1];

        public async Task<string?> ReadRequestAsync(CancellationToken cancellationToken)
        {
            var text = new StringBuilder();
            while (true)
            {
                if (await stream.ReadAsync(_one, cancellationToken) == 0)
                {
                    return null;
                }

                if (text.Length == 0 && _one[0] == '$')
                {
                    var header = new byte[3];
                    await stream.ReadExactlyAsync(header, cancellationToken);
                    await stream.ReadExactlyAsync(new byte[BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(1))], cancellationToken);
                    continue;
                }

                text.Append((char)_one[0]);
                if (text.Length >= 4 && text.ToString(text.Length - 4, 4) == "\r\n\r\n")
                {
                    var request = text.ToString();
                    if (Header(request, "Content-Length") is { } length && int.TryParse(length, CultureInfo.InvariantCulture, out var bytes) && bytes > 0)
                    {
                        await stream.ReadExactlyAsync(new byte[bytes], cancellationToken);
                    }

                    return request;
                }
            }
        }
    }
}
