using System.Net.WebSockets;
using System.Text.Json;
using Gateway.Core.Admission;
using Gateway.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.FunctionalTests.Resume;

/// <summary>
/// A client's TCP connection is reset (through <see cref="DroppingProxy"/>) and it resumes: every fixture word once,
/// finals in order on one continuous stream clock, no final twice.
/// </summary>
public sealed class ResumeTests
{
    private const int MidPhrase = 28_000;       // inside "The quick brown fox ..." (9,806-46,328)
    private const int EndpointSilence = 47_928; // 100 ms after it, before the endpoint rule ends the segment
    private const int BetweenPhrases = 60_000;  // well after that segment ended, before "Call me back tomorrow"

    [Theory(Timeout = 60_000)]
    [InlineData(MidPhrase, 500)]
    [InlineData(EndpointSilence, 500)]
    [InlineData(BetweenPhrases, 500)]
    [InlineData(MidPhrase, 5000)]
    [InlineData(BetweenPhrases, 5000)]
    public async Task Resume_AfterReset_EveryWordOnceInOrder(int cutSample, int awayMs)
    {
        await using var gateway = await TestGateway.StartAsync();
        var messages = await CutAndResumeAsync(gateway, cutSample, TimeSpan.FromMilliseconds(awayMs));

        AssertTranscriptWhole(messages);
        Assert.Equal(2, messages.Count(m => Type(m) == "ready"));
        Assert.Single(messages.Select(m => m.GetProperty("type").GetString() == "ready" ? m.GetProperty("session_id").GetString() : null).OfType<string>().Distinct());
    }

    [Fact(Timeout = 60_000)]
    public async Task Resume_NearTheWindowEnd_StillContinues()
    {
        // Away for 70 % of the window; the rest (1.5 s) is for the reconnect and resume on a loaded machine.
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?> { ["Sessions:ResumeWindow"] = "00:00:05" });

        var messages = await CutAndResumeAsync(gateway, MidPhrase, TimeSpan.FromMilliseconds(3500));

        AssertTranscriptWhole(messages);
    }

    [Fact(Timeout = 60_000)]
    public async Task Resume_TwiceInOneSession_EveryWordOnce()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var proxy = new DroppingProxy(gateway.Http);
        await using var stream = new ResumingStream(gateway, proxy);
        var pcm = SpeechFixture.ThreeUtterances.Pcm16Bytes;
        await stream.StartAsync();

        var sent = 0;
        foreach (var cut in new[] { MidPhrase, 90_000 })
        {
            await stream.SendAsync(pcm, sent, cut * 2);
            await stream.CutAsync();
            Assert.Equal("ready", Type(await stream.ResumeAsync()));
            sent = (int)stream.ResumedFrom * 2;
        }

        await stream.SendAsync(pcm, sent, pcm.Length);
        AssertTranscriptWhole(await stream.CloseAsync());
    }

    [Fact(Timeout = 30_000)]
    public async Task Detached_WindowExpires_EndsAsResumeExpiredAndReleasesTheSlot()
    {
        // A window long enough that the detached slot is still held when the test looks right after the cut, on a
        // loaded machine too (1 s could pass between the cut and the look).
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?> { ["Sessions:ResumeWindow"] = "00:00:04" });
        var clients = gateway.Services.GetRequiredService<ClientManager>();
        await using var proxy = new DroppingProxy(gateway.Http);
        await using var stream = new ResumingStream(gateway, proxy);
        await stream.StartAsync();
        await stream.SendAsync(SpeechFixture.ThreeUtterances.Pcm16Bytes.AsMemory(0, 32_000));
        await stream.WaitAckedAsync(16_000);

        await stream.CutAsync();
        Assert.Equal(1, clients.ActiveCount); // detached: the slot is kept
        await WaitUntilAsync(() => clients.ActiveCount == 0);

        var refused = await stream.ResumeAsync();
        Assert.Equal("resume_expired", refused.GetProperty("code").GetString());
        var metrics = await gateway.GetStringAsync("/metrics");
        Assert.Contains("gateway_admission_disconnected_total{reason=\"resume_expired\"}", metrics);
    }

    internal static async Task<List<JsonElement>> CutAndResumeAsync(TestGateway gateway, int cutSample, TimeSpan away)
    {
        await using var proxy = new DroppingProxy(gateway.Http);
        await using var stream = new ResumingStream(gateway, proxy);
        var pcm = SpeechFixture.ThreeUtterances.Pcm16Bytes;
        await stream.StartAsync();
        await stream.SendAsync(pcm, 0, cutSample * 2);
        await stream.CutAsync();

        await Task.Delay(away); // the time the client is away is what this test is about
        var ready = await stream.ResumeAsync();
        Assert.Equal("ready", Type(ready));
        Assert.True(ready.GetProperty("resumed").GetBoolean());
        var serverOffset = ready.GetProperty("offset").GetInt64();
        Assert.InRange(serverOffset, stream.ResumedFrom, cutSample);

        // Resend from the last ack: the server skips what it already has.
        await stream.SendAsync(pcm, (int)stream.ResumedFrom * 2, pcm.Length);
        return await stream.CloseAsync();
    }

    /// <summary>Every word once and in order, one final per fixture span on the original clock, no segment twice.</summary>
    internal static void AssertTranscriptWhole(List<JsonElement> messages)
    {
        var fixture = SpeechFixture.ThreeUtterances;
        Assert.DoesNotContain(messages, m => Type(m) == "error");
        var finals = messages.Where(m => Type(m) == "final").ToList();
        var words = finals
            .SelectMany(m => m.GetProperty("text").GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(w => w.TrimEnd('.'))
            .ToList();
        Assert.Equal(fixture.Words, words);
        var ids = finals.Select(f => f.GetProperty("segment_id").GetInt64()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(ids.Order().ToList(), ids);
        Assert.Equal(fixture.Spans.Count, finals.Count);
        for (var i = 0; i < finals.Count; i++)
        {
            // Continuous clock: each final is where its speech is in the fixture (VAD ±100 ms, plus pre/post-roll).
            var (start, end) = fixture.Spans[i];
            Assert.InRange(finals[i].GetProperty("start_ms").GetDouble(), start / 16.0 - 350, start / 16.0 + 100);
            Assert.InRange(finals[i].GetProperty("end_ms").GetDouble(), end / 16.0 - 100, end / 16.0 + 250);
        }
    }

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var cts = new CancellationTokenSource(StreamClient.Timeout);
        while (!condition())
        {
            await Task.Delay(10, cts.Token);
        }
    }

    internal static string? Type(JsonElement m) => m.GetProperty("type").GetString();
}
