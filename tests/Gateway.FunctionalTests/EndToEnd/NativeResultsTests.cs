using System.Net.WebSockets;
using System.Text.Json;
using Gateway.FunctionalTests.Infrastructure;

namespace Gateway.FunctionalTests.EndToEnd;

/// <summary>Speech in, partials and timed finals out, through VAD, the dispatcher and the simulator upstream.</summary>
public sealed class NativeResultsTests
{
    [Fact(Timeout = 60_000)]
    public async Task Stream_SpeechFixture_FinalsRecoverEveryWordInOrder()
    {
        await using var gateway = await TestGateway.StartAsync();
        var fixture = SpeechFixture.ThreeUtterances;

        var messages = await StreamFixtureAsync(gateway, fixture, realTimeFactor: 0);

        AssertWordsRecovered(fixture, messages);
        AssertSegmentLifecycles(messages);
        Assert.Contains(messages, m => Type(m) == "partial");
        var finals = messages.Where(m => Type(m) == "final").ToList();
        Assert.Equal(fixture.Spans.Count, finals.Count);
        for (var i = 0; i < finals.Count; i++)
        {
            // Each final covers its known speech span (VAD boundaries within ±100 ms, plus pre/post-roll).
            var (start, end) = fixture.Spans[i];
            Assert.InRange(finals[i].GetProperty("start_ms").GetDouble(), start / 16.0 - 250 - 100, start / 16.0 + 100);
            Assert.InRange(finals[i].GetProperty("end_ms").GetDouble(), end / 16.0 - 100, end / 16.0 + 150 + 100);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Stream_FiftyConcurrentSessions_EachRecoversItsWords()
    {
        // A pool smaller than the load (the default of 128 would open one connection per stream): connections are shared.
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?> { ["Upstream:Endpoints:0:MaxConnections"] = "16" });
        var fixture = SpeechFixture.ThreeUtterances;

        var sessions = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => StreamFixtureAsync(gateway, fixture, realTimeFactor: 4)))
            .WaitAsync(TimeSpan.FromSeconds(90));

        Assert.All(sessions, messages => AssertWordsRecovered(fixture, messages));
        Assert.True(gateway.Simulator.Stats.ConnectionsOpened < 50, $"{gateway.Simulator.Stats.ConnectionsOpened} upstream connections for 50 streams");
        Assert.True(gateway.Simulator.Stats.MaxConcurrentUtterancesPerConnection <= 1);
        Assert.Empty(gateway.Simulator.Stats.Violations);
    }

    [Fact(Timeout = 60_000)]
    public async Task Stream_SessionMaxSegmentLength_CutsLongSpeech()
    {
        await using var gateway = await TestGateway.StartAsync();

        var messages = await StreamFixtureAsync(gateway, SpeechFixture.ThreeUtterances, realTimeFactor: 0, start: new { segmentation = new { max_segment_ms = 1000 } });

        var ended = messages.Where(m => Type(m) == "speech_ended").ToList();
        Assert.Contains(ended, m => m.GetProperty("cause").GetString() == "max_length");
        Assert.All(ended, m => Assert.True(m.GetProperty("end_ms").GetDouble() - m.GetProperty("start_ms").GetDouble() <= 1000 + 1));
        AssertSegmentLifecycles(messages);
    }

    /// <summary>Streams the fixture in 100 ms frames (paced at the given multiple of real time; 0 = unpaced), then closes gracefully.</summary>
    internal static Task<List<JsonElement>> StreamFixtureAsync(TestGateway gateway, SpeechFixture fixture, double realTimeFactor, string query = "", object? start = null) =>
        StreamFixtureAsync(gateway.Stream(query: query), fixture, realTimeFactor, start);

    /// <summary>The same against any stream endpoint (a gateway process, a load balancer).</summary>
    internal static async Task<List<JsonElement>> StreamFixtureAsync(Uri stream, SpeechFixture fixture, double realTimeFactor, object? start = null)
    {
        await using var client = await StreamClient.ConnectAsync(stream);
        await client.StartAsync(start);
        var bytes = fixture.Pcm16Bytes;
        var reading = client.ReceiveUntilClosedAsync();
        const int frame = 3200;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var offset = 0; offset < bytes.Length; offset += frame)
        {
            await client.SendAudioAsync(bytes.AsMemory(offset, Math.Min(frame, bytes.Length - offset)));
            if (realTimeFactor > 0)
            {
                var due = TimeSpan.FromMilliseconds((offset + frame) / 32.0 / realTimeFactor);
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed);
                }
            }
        }

        await client.SendJsonAsync(new { type = "close" });
        var messages = await reading.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
        return messages;
    }

    internal static void AssertWordsRecovered(SpeechFixture fixture, List<JsonElement> messages)
    {
        Assert.DoesNotContain(messages, m => Type(m) == "error");
        var words = messages.Where(m => Type(m) == "final")
            .SelectMany(m => m.GetProperty("text").GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(w => w.TrimEnd('.'))
            .ToList();
        Assert.Equal(fixture.Words, words);
    }

    /// <summary>Every segment: started, ended, exactly one final, in order; finals never overlap or go backwards.</summary>
    internal static void AssertSegmentLifecycles(List<JsonElement> messages)
    {
        var finals = messages.Where(m => Type(m) == "final").ToList();
        var started = messages.Where(m => Type(m) == "speech_started").Select(m => m.GetProperty("segment_id").GetInt64()).ToList();
        Assert.Equal(started, finals.Select(f => f.GetProperty("segment_id").GetInt64()).ToList());
        Assert.Equal(started.Count, started.Distinct().Count());
        double previousEnd = 0;
        foreach (var final in finals)
        {
            var id = final.GetProperty("segment_id").GetInt64();
            var index = messages.IndexOf(final);
            Assert.Contains(messages.Take(index), m => Type(m) == "speech_ended" && m.GetProperty("segment_id").GetInt64() == id);
            Assert.True(final.GetProperty("start_ms").GetDouble() >= previousEnd);
            Assert.True(final.GetProperty("end_ms").GetDouble() > final.GetProperty("start_ms").GetDouble());
            previousEnd = final.GetProperty("end_ms").GetDouble();
        }
    }

    internal static string? Type(JsonElement m) => m.GetProperty("type").GetString();
}
