using System.Runtime.InteropServices;
using System.Text.Json;
using Gateway.FunctionalTests.Infrastructure;

namespace Gateway.FunctionalTests.Deepgram;

/// <summary>
/// The official <c>@deepgram/sdk</c> (5.13.0, pinned) against a real gateway: an app changes only the base URL.
/// The scripts live in Deepgram/Sdk; node and npm come from .ci/run.
/// </summary>
public sealed class DeepgramSdkTests : IDisposable
{
    private static readonly SpeechFixture Fixture = SpeechFixture.ThreeUtterances;
    private readonly string _pcm = Path.Combine(Path.GetTempPath(), $"dg-fixture-{Guid.NewGuid():N}.pcm");

    public DeepgramSdkTests() => File.WriteAllBytes(_pcm, Fixture.Pcm16Bytes);

    [Fact(Timeout = 90_000)]
    public async Task Sdk_LiveWithInterimsFinalizeAndKeepAlive_TranscriptMatchesTheFixture()
    {
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?> { ["Admission:IdleTimeout"] = "00:00:03" });
        // Finalize 100 ms after the first utterance, while its segment is still open (endpointing=300): the flush
        // makes its final. (Mid-word, the next segment's pre-roll would send the cut word again; see docs/deepgram.md.)
        var cut = (Fixture.Spans[0].End + 1_600) * 2;

        // KeepAlive every 250 ms over 7.5 s of silence: two and a half idle timeouts. The timeout leaves a node or
        // gateway process starved of CPU for over 2 s on a loaded machine still in time. (With a 1 s timeout the
        // session was closed NET-0001 about once in six runs despite the KeepAlives. Two causes found since: the idle
        // check could read the time of the last audio before a wait for the gateway's results ended and the wait's
        // end after, and the idle time counted from the upgrade rather than from the session's start.)
        var messages = await NodeScript.RunAsync("live.mjs", TimeSpan.FromSeconds(75), gateway.WebSocket.ToString().TrimEnd('/'), _pcm, cut.ToString(), "250", "7500");

        var results = messages.Where(m => Type(m) == "Results").ToList();
        var finals = results.Where(m => m.GetProperty("is_final").GetBoolean()).ToList();
        Assert.Equal(Fixture.Words.Select(Bare), finals.SelectMany(f => Transcript(f).Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(Bare));
        Assert.Contains(results, m => !m.GetProperty("is_final").GetBoolean());
        Assert.Contains(finals, m => m.GetProperty("from_finalize").GetBoolean() && Transcript(m).Length > 0);
        Assert.Contains(finals, m => m.GetProperty("speech_final").GetBoolean());
        Assert.Contains(messages, m => Type(m) == "SpeechStarted");
        Assert.Equal("Metadata", Type(messages[^2]));
        var close = messages[^1];
        Assert.Equal("close", Type(close));
        Assert.Equal(1000, close.GetProperty("code").GetInt32());
    }

    public void Dispose() => File.Delete(_pcm);

    private static string Type(JsonElement m) => m.GetProperty("type").GetString()!;

    private static string Transcript(JsonElement m) => m.GetProperty("channel").GetProperty("alternatives")[0].GetProperty("transcript").GetString()!;

    private static string Bare(string word) => word.Trim('.', ',').ToLowerInvariant();
}
