using System.Net.WebSockets;
using System.Text;
using Gateway.Upstream.Tests.WebSockets;

namespace Gateway.Upstream.Tests.Pooling;

/// <summary>A scripted FunASR impostor on Kestrel answers the first utterance with something a real server never sends.</summary>
public class ProtocolViolationTests
{
    [Theory(Timeout = 15000)]
    [InlineData("{\"is_final\":true,\"text\":\"\",\"wav_name\":\"someone-else\"}")]
    [InlineData("{\"is_final\":true,\"text\":")]
    [InlineData("BINARY")]
    public async Task ReadAsync_UnexpectedReply_FailsProtocolViolationAndNeverReuses(string reply)
    {
        var connections = 0;
        await using var host = await KestrelWebSocketHost.StartAsync(async socket =>
        {
            var first = Interlocked.Increment(ref connections) == 1;
            var buffer = new byte[64 * 1024];
            while (true)
            {
                var r = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                var text = r.MessageType == WebSocketMessageType.Text ? Encoding.UTF8.GetString(buffer, 0, r.Count) : "";
                if (!text.Contains("\"is_speaking\":false", StringComparison.Ordinal))
                {
                    continue;
                }

                if (first)
                {
                    var bytes = Encoding.UTF8.GetBytes(reply);
                    await socket.SendAsync(bytes, reply == "BINARY" ? WebSocketMessageType.Binary : WebSocketMessageType.Text, true, CancellationToken.None);
                }
                else
                {
                    await socket.SendAsync("{\"is_final\":true,\"text\":\"\"}"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
                }
            }
        });
        var options = new UpstreamOptions();
        options.Endpoints.Add(new UpstreamEndpointOptions { Url = host.Url.ToString() });
        await using var client = new UpstreamClient(options);

        var failed = await RunAsync(client);
        var next = await RunAsync(client);

        Assert.Equal((UpstreamResultKind.Failed, UpstreamError.ProtocolViolation, true), (failed.Kind, failed.Error, failed.MustReplay));
        Assert.Equal(UpstreamResultKind.Completed, next.Kind);
        Assert.Equal((2L, 0L), (client.GetStatistics().NewConnections, client.GetStatistics().ReuseHits));
    }

    private static async Task<UpstreamResult> RunAsync(UpstreamClient client)
    {
        var start = await client.StartUtteranceAsync();
        await using var utterance = start.Utterance!;
        await utterance.PushAudioAsync(new byte[3200]);
        await utterance.FinishAsync();
        UpstreamResult last = default;
        await foreach (var r in utterance.ReadAllAsync())
        {
            last = r;
        }

        return last;
    }
}
