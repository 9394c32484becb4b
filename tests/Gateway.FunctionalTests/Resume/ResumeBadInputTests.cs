using System.Net.WebSockets;
using System.Text.Json;
using Gateway.Core.Admission;
using Gateway.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Gateway.FunctionalTests.Resume.ResumeTests;

namespace Gateway.FunctionalTests.Resume;

/// <summary>Every way a resume can be wrong gets its own code and close 4002, and hurts nothing else.</summary>
public sealed class ResumeBadInputTests
{
    private static byte[] Pcm => SpeechFixture.ThreeUtterances.Pcm16Bytes;

    [Fact(Timeout = 30_000)]
    public async Task Resume_UnknownToken_RefusedResumeUnknown()
    {
        await using var gateway = await TestGateway.StartAsync();

        var (error, status) = await ResumeRawAsync(gateway, "?resume=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&offset=0");

        Assert.Equal("resume_unknown", error.GetProperty("code").GetString());
        Assert.Equal((WebSocketCloseStatus)4002, status);
    }

    [Fact(Timeout = 30_000)]
    public async Task Resume_WithoutOffset_RefusedInvalidConfig()
    {
        await using var gateway = await TestGateway.StartAsync();

        var (error, _) = await ResumeRawAsync(gateway, "?resume=abc");

        Assert.Equal("invalid_config", error.GetProperty("code").GetString());
        Assert.Contains("offset", error.GetProperty("message").GetString());
    }

    [Fact(Timeout = 30_000)]
    public async Task Resume_Disabled_RefusedResumeDisabledAndReadyHasNoToken()
    {
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?> { ["Sessions:ResumeWindow"] = "00:00:00" });
        await using (var client = await StreamClient.ConnectAsync(gateway.Stream()))
        {
            var ready = await client.StartAsync();
            Assert.False(ready.TryGetProperty("resume_token", out _));
        }

        var (error, _) = await ResumeRawAsync(gateway, "?resume=abc&offset=0");
        Assert.Equal("resume_disabled", error.GetProperty("code").GetString());
    }

    [Fact(Timeout = 30_000)]
    public async Task Resume_ReusedToken_RefusedResumeUsed()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var proxy = new DroppingProxy(gateway.Http);
        await using var stream = new ResumingStream(gateway, proxy);
        await stream.StartAsync();
        var first = stream.Token;
        await stream.CutAsync();
        Assert.Equal("ready", Type(await stream.ResumeAsync()));
        Assert.NotEqual(first, stream.Token); // each reconnect gets a fresh token

        var (error, _) = await ResumeRawAsync(gateway, $"?resume={first}&offset=0");

        Assert.Equal("resume_used", error.GetProperty("code").GetString());
        await stream.SendAsync(Pcm, 0, Pcm.Length); // the session itself is unharmed
        AssertTranscriptWhole(await stream.CloseAsync());
    }

    [Fact(Timeout = 30_000)]
    public async Task Resume_TwoSessionsTokens_EachResumesOnlyItsOwnSession()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var proxy = new DroppingProxy(gateway.Http);
        await using var a = new ResumingStream(gateway, proxy);
        await using var b = new ResumingStream(gateway, proxy);
        await a.StartAsync();
        await b.StartAsync();
        var idA = a.SessionId;
        var idB = b.SessionId;
        await a.CutAsync(); // cuts both
        await b.CutAsync();

        var readyB = await b.ResumeAsync();
        var readyA = await a.ResumeAsync();

        Assert.Equal(idA, readyA.GetProperty("session_id").GetString());
        Assert.Equal(idB, readyB.GetProperty("session_id").GetString());
        var (error, _) = await ResumeRawAsync(gateway, $"?resume=x{a.Token}&offset=0");
        Assert.Equal("resume_unknown", error.GetProperty("code").GetString());
    }

    [Fact(Timeout = 30_000)]
    public async Task Resume_OffsetBeyondReceived_RefusedWithTheServersOffsetThenRetrySucceeds()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var proxy = new DroppingProxy(gateway.Http);
        await using var stream = new ResumingStream(gateway, proxy);
        await stream.StartAsync();
        await stream.SendAsync(Pcm.AsMemory(0, 32_000));
        await stream.WaitAckedAsync(16_000);
        await stream.CutAsync();

        var gap = await stream.ResumeAsync(offset: 20_000);

        Assert.Equal("resume_gap", gap.GetProperty("code").GetString());
        Assert.Equal(16_000, gap.GetProperty("offset").GetInt64());
        var ready = await stream.ResumeAsync(offset: gap.GetProperty("offset").GetInt64()); // the token still works
        Assert.Equal("ready", Type(ready));
        await stream.SendAsync(Pcm, 32_000, Pcm.Length);
        AssertTranscriptWhole(await stream.CloseAsync());
    }

    [Fact(Timeout = 30_000)]
    public async Task Resume_OffsetFarBehind_OverlapIsSkipped()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var proxy = new DroppingProxy(gateway.Http);
        await using var stream = new ResumingStream(gateway, proxy);
        await stream.StartAsync();
        await stream.SendAsync(Pcm, 0, 100_000 * 2);
        await stream.WaitAckedAsync(100_000); // the last frames may still be in flight through the proxy: cut once the server has them all
        await stream.CutAsync();

        var ready = await stream.ResumeAsync(offset: 0); // resends everything

        Assert.Equal(100_000, ready.GetProperty("offset").GetInt64());
        await stream.SendAsync(Pcm, 0, Pcm.Length);
        AssertTranscriptWhole(await stream.CloseAsync());
    }

    [Fact(Timeout = 30_000)]
    public async Task Resume_FinalsCountBehind_ReplaysExactlyTheUnreceivedFinals()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var proxy = new DroppingProxy(gateway.Http);
        await using var stream = new ResumingStream(gateway, proxy);
        await stream.StartAsync();
        await stream.SendAsync(Pcm, 0, 100_000 * 2);
        await WaitUntilAsync(() => stream.Finals == 2);
        await stream.CutAsync();
        var before = stream.Messages.Count;

        // As if the second final had been lost in flight: the client says it received one.
        await stream.ResumeAsync(finals: 1);
        await stream.SendAsync(Pcm, (int)stream.ResumedFrom * 2, Pcm.Length);
        var messages = await stream.CloseAsync();

        var replayed = messages.Skip(before).Where(m => Type(m) == "final").ToList();
        Assert.Equal(2, replayed.Count); // the second again, then the third
        Assert.Equal(messages.Take(before).Last(m => Type(m) == "final").GetProperty("segment_id").GetInt64(), replayed[0].GetProperty("segment_id").GetInt64());
    }

    [Fact(Timeout = 30_000)]
    public async Task Resume_WhileStillAttached_ReplacesTheOldConnection()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var proxy = new DroppingProxy(gateway.Http);
        await using var stream = new ResumingStream(gateway, proxy);
        await stream.StartAsync();
        await stream.SendAsync(Pcm, 0, MidPhraseBytes);
        await stream.WaitAckedAsync(1);
        var old = stream.Current;

        var ready = await stream.ResumeAsync(); // no drop seen by the server: a half-open connection

        Assert.Equal("ready", Type(ready));
        await WaitUntilAsync(() => old.State is WebSocketState.Aborted or WebSocketState.Closed);
        await stream.SendAsync(Pcm, (int)stream.ResumedFrom * 2, Pcm.Length);
        AssertTranscriptWhole(await stream.CloseAsync());
    }

    [Fact(Timeout = 30_000)]
    public async Task Resume_AfterNormalEnd_RefusedResumeEnded()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var proxy = new DroppingProxy(gateway.Http);
        await using var stream = new ResumingStream(gateway, proxy);
        await stream.StartAsync();
        await stream.CloseAsync();

        var refused = await stream.ResumeAsync();

        Assert.Equal("resume_ended", refused.GetProperty("code").GetString());
    }

    [Fact(Timeout = 90_000)]
    public async Task Resume_StormAfterABlip_AdmissionHoldsAndNoSlotLeaks()
    {
        const int clients = 30;
        // 30 sessions close at once with their audio sent unpaced: on a loaded machine their drains can take longer
        // than the default 10 s, and how long is not what this test checks (a slot leak or a lost word is).
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>
        {
            ["Admission:MaxClients"] = clients.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Sessions:DrainTimeout"] = "00:00:40",
        });
        var manager = gateway.Services.GetRequiredService<ClientManager>();
        await using var proxy = new DroppingProxy(gateway.Http);
        var streams = Enumerable.Range(0, clients).Select(_ => new ResumingStream(gateway, proxy)).ToList();
        await Task.WhenAll(streams.Select(s => s.StartAsync()));
        await Task.WhenAll(streams.Select(s => s.SendAsync(Pcm, 0, MidPhraseBytes)));

        proxy.ResetAll(); // the blip: every connection at once
        await Task.WhenAll(streams.Select(s => s.CutAsync()));
        Assert.Equal(clients, manager.ActiveCount);
        await using (var newcomer = await StreamClient.ConnectAsync(gateway.Stream()))
        {
            var wait = await newcomer.ReceiveAsync(); // the detached sessions still hold their slots
            Assert.Equal("wait", Type(wait));
        }

        var readies = await Task.WhenAll(streams.Select(s => s.ResumeAsync()));
        Assert.All(readies, r => Assert.Equal("ready", Type(r)));
        Assert.Equal(clients, manager.ActiveCount);
        await Task.WhenAll(streams.Select(async s =>
        {
            await s.SendAsync(Pcm, (int)s.ResumedFrom * 2, Pcm.Length);
            AssertTranscriptWhole(await s.CloseAsync());
        }));

        await WaitUntilAsync(() => manager.ActiveCount == 0);
        foreach (var s in streams)
        {
            await s.DisposeAsync();
        }
    }

    private const int MidPhraseBytes = 28_000 * 2;

    internal static async Task<(JsonElement Error, WebSocketCloseStatus? Status)> ResumeRawAsync(TestGateway gateway, string query)
    {
        await using var client = await StreamClient.ConnectAsync(gateway.Stream(query: query));
        var messages = await client.ReceiveUntilClosedAsync();
        var error = Assert.Single(messages);
        Assert.Equal("error", Type(error));
        Assert.True(error.GetProperty("fatal").GetBoolean());
        return (error, client.CloseStatus);
    }
}
