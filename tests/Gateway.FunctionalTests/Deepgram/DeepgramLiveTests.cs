using System.Net;
using System.Net.WebSockets;
using Gateway.FunctionalTests.Infrastructure;

namespace Gateway.FunctionalTests.Deepgram;

/// <summary>
/// <c>/v1/listen</c> live, driven by a client written from the protocol document, through the real pipeline
/// (VAD, dispatcher, upstream pool, simulator). The watermarked fixture lets every word be checked.
/// </summary>
public sealed class DeepgramLiveTests
{
    private const string Linear16 = "?encoding=linear16&sample_rate=16000";
    private static readonly SpeechFixture Fixture = SpeechFixture.ThreeUtterances;

    /// <summary>The fixture's words as Deepgram writes them without <c>punctuate</c>: lower case, no punctuation.</summary>
    private static readonly List<string> BareWords = Fixture.Words.Select(w => w.Trim('.', ',').ToLowerInvariant()).ToList();

    private static List<string> Words(IEnumerable<string> texts) =>
        texts.SelectMany(t => t.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();

    [Fact(Timeout = 60_000)]
    public async Task Listen_Linear16WithInterimsAndEndpointing_UtterancesCarryEveryWordThenMetadataAndClose1000()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var client = await DeepgramRawClient.ConnectAsync(gateway.Stream("/v1/listen",
            Linear16 + "&interim_results=true&endpointing=300&vad_events=true&utterance_end_ms=1000&model=nova-3&tag=t1&extra=app:test&punctuate=true"));

        await client.SendAudioAsync(Fixture.Pcm16Bytes, 3_200);
        await client.CloseStreamAsync();
        await client.ReceiveUntilClosedAsync();

        Assert.Equal(Fixture.Words.Select(w => w.TrimEnd('.')), Words(client.Utterances).Select(w => w.TrimEnd('.')));
        Assert.Equal(Fixture.Spans.Count, client.Finals.Count(f => f.GetProperty("speech_final").GetBoolean()));
        Assert.Equal(Fixture.Spans.Count, client.Messages.Count(m => DeepgramRawClient.Type(m) == "SpeechStarted"));
        Assert.Equal(Fixture.Spans.Count, client.Messages.Count(m => DeepgramRawClient.Type(m) == "UtteranceEnd"));
        Assert.NotEmpty(client.Interims);
        Assert.All(client.Finals, f => Assert.Equal("test", f.GetProperty("metadata").GetProperty("extra").GetProperty("app").GetString()));
        Assert.All(client.Finals, f => Assert.Equal(client.RequestId, f.GetProperty("metadata").GetProperty("request_id").GetString()));

        var metadata = client.Messages[^1];
        Assert.Equal("Metadata", DeepgramRawClient.Type(metadata));
        Assert.Equal(Fixture.Samples.Length / 16_000.0, metadata.GetProperty("duration").GetDouble(), 2);
        var model = metadata.GetProperty("models")[0].GetString()!;
        Assert.Equal("nova-3", metadata.GetProperty("model_info").GetProperty(model).GetProperty("name").GetString());
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
    }

    [Fact(Timeout = 60_000)]
    public async Task Listen_DefaultOptions_OnlyFinalsAndNoSpeechEvents()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var client = await DeepgramRawClient.ConnectAsync(gateway.Stream("/v1/listen", Linear16));

        await client.SendAudioAsync(Fixture.Pcm16Bytes, 8_000);
        await client.CloseStreamAsync();
        await client.ReceiveUntilClosedAsync();

        Assert.Empty(client.Interims); // interim_results defaults to false, as Deepgram's does
        Assert.DoesNotContain(client.Messages, m => DeepgramRawClient.Type(m) is "SpeechStarted" or "UtteranceEnd");
        Assert.Equal(BareWords, Words(client.Utterances));
    }

    [Fact(Timeout = 60_000)]
    public async Task Listen_CloseAtSpeechEnd_SpeechFinalAndUtteranceEndAtEachSpeechEnd()
    {
        // Segmenter:CloseAtSpeechEnd ends segments at the speech end (cause speech_end), never at the endpoint:
        // Deepgram's speech_final and UtteranceEnd must still come, once per phrase.
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?> { ["Segmenter:CloseAtSpeechEnd"] = "true" });
        await using var client = await DeepgramRawClient.ConnectAsync(gateway.Stream("/v1/listen", Linear16 + "&interim_results=true&endpointing=300&utterance_end_ms=1000"));

        await client.SendAudioAsync(Fixture.Pcm16Bytes, 3_200);
        await client.CloseStreamAsync();
        await client.ReceiveUntilClosedAsync();

        Assert.Equal(BareWords, Words(client.Utterances));
        Assert.Equal(Fixture.Spans.Count, client.Finals.Count(f => f.GetProperty("speech_final").GetBoolean()));
        Assert.Equal(Fixture.Spans.Count, client.Messages.Count(m => DeepgramRawClient.Type(m) == "UtteranceEnd"));
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
    }

    [Fact(Timeout = 60_000)]
    public async Task Listen_EndpointingFalse_FinalsWithoutSpeechFinal()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var client = await DeepgramRawClient.ConnectAsync(gateway.Stream("/v1/listen", Linear16 + "&endpointing=false"));

        await client.SendAudioAsync(Fixture.Pcm16Bytes, 8_000);
        await client.CloseStreamAsync();
        await client.ReceiveUntilClosedAsync();

        Assert.Equal(BareWords, Words(client.Finals.Select(DeepgramRawClient.Transcript)));
        Assert.DoesNotContain(client.Finals, f => f.GetProperty("speech_final").GetBoolean());
    }

    [Fact(Timeout = 60_000)]
    public async Task Listen_FinalizeMidSpeech_FinalFromFinalizeThenStreamGoesOn()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var client = await DeepgramRawClient.ConnectAsync(gateway.Stream("/v1/listen", Linear16));
        var pcm = Fixture.Pcm16Bytes;
        var (firstStart, firstEnd) = Fixture.Spans[0];
        var cut = (int)(firstStart + (firstEnd - firstStart) * 3 / 4) * 2;

        await client.SendAudioAsync(pcm[..cut], 3_200);
        await client.FinalizeAsync();
        var flushed = await client.ExpectAsync(m => DeepgramRawClient.Type(m) == "Results" && m.GetProperty("from_finalize").GetBoolean());
        Assert.True(flushed.GetProperty("is_final").GetBoolean());
        Assert.NotEqual("", DeepgramRawClient.Transcript(flushed));

        await client.SendAudioAsync(pcm[cut..], 3_200);
        await client.CloseStreamAsync();
        await client.ReceiveUntilClosedAsync();
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
        Assert.Equal("Metadata", DeepgramRawClient.Type(client.Messages[^1]));
    }

    [Fact(Timeout = 60_000)]
    public async Task Listen_FinalizeDuringSilence_EmptyFinalFromFinalize()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var client = await DeepgramRawClient.ConnectAsync(gateway.Stream("/v1/listen", Linear16));

        await client.SendAudioAsync(new byte[16_000]);
        await client.FinalizeAsync();
        var flushed = await client.ExpectAsync(m => DeepgramRawClient.Type(m) == "Results");

        Assert.True(flushed.GetProperty("from_finalize").GetBoolean());
        Assert.Equal("", DeepgramRawClient.Transcript(flushed));
    }

    [Fact(Timeout = 60_000)]
    public async Task Listen_KeepAliveDuringSilence_OutlivesTheIdleTimeout()
    {
        // 3 s: a KeepAlive every 250 ms still arrives in time when this process or the gateway is starved of CPU for
        // over 2 s on a loaded machine (with 1 s, 750 ms of starvation would close the session NET-0001).
        var idle = TimeSpan.FromSeconds(3);
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?> { ["Admission:IdleTimeout"] = "00:00:03" });
        await using var client = await DeepgramRawClient.ConnectAsync(gateway.Stream("/v1/listen", Linear16));
        await client.SendAudioAsync(new byte[3_200]);

        // Two and a half idle timeouts of silence with a KeepAlive every 250 ms.
        var until = DateTime.UtcNow + 2.5 * idle;
        while (DateTime.UtcNow < until)
        {
            await client.KeepAliveAsync();
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        await client.CloseStreamAsync();
        await client.ReceiveUntilClosedAsync();
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
        Assert.Equal("Metadata", DeepgramRawClient.Type(client.Messages[^1]));
    }

    [Fact(Timeout = 60_000)]
    public async Task Listen_NoAudioNoKeepAlive_Closes1011Net0001()
    {
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?> { ["Admission:IdleTimeout"] = "00:00:01" });
        await using var client = await DeepgramRawClient.ConnectAsync(gateway.Stream("/v1/listen", Linear16));
        await client.SendAudioAsync(new byte[3_200]);

        await client.ReceiveUntilClosedAsync();

        Assert.Equal(WebSocketCloseStatus.InternalServerError, client.CloseStatus);
        Assert.StartsWith("NET-0001", client.CloseDescription);
    }

    [Fact(Timeout = 30_000)]
    public async Task Listen_TextThatIsNotJson_Closes1008Data0000AndOthersGoOn()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var other = await DeepgramRawClient.ConnectAsync(gateway.Stream("/v1/listen", Linear16));
        await using var client = await DeepgramRawClient.ConnectAsync(gateway.Stream("/v1/listen", Linear16));
        await other.SendAudioAsync(Fixture.Pcm16Bytes.AsMemory(0, 32_000));

        await client.SendTextAsync("hello");
        var error = await client.ExpectAsync(m => DeepgramRawClient.Type(m) == "Error");
        await client.ReceiveUntilClosedAsync();

        Assert.Contains("JSON", error.GetProperty("description").GetString());
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, client.CloseStatus);
        Assert.StartsWith("DATA-0000", client.CloseDescription);
        await other.SendAudioAsync(Fixture.Pcm16Bytes.AsMemory(32_000));
        await other.CloseStreamAsync();
        await other.ReceiveUntilClosedAsync();
        Assert.Equal(WebSocketCloseStatus.NormalClosure, other.CloseStatus);
        Assert.Equal(BareWords, Words(other.Utterances));
    }

    [Theory(Timeout = 30_000)]
    [InlineData("?encoding=opus&sample_rate=48000", "encoding \"opus\" is not supported")]
    [InlineData("?encoding=linear16", "sample_rate is required")]
    [InlineData("?encoding=linear16&sample_rate=11025", "sample_rate 11025 is not supported")]
    [InlineData("?encoding=linear16&sample_rate=16000&interim_results=yes", "interim_results must be true or false")]
    [InlineData("?encoding=linear16&sample_rate=16000&utterance_end_ms=1000", "utterance_end_ms requires interim_results=true")]
    [InlineData("?encoding=linear16&sample_rate=16000&keywords=hello:-2", "suppression")]
    public async Task Listen_InvalidParameter_Http400WithDgError(string query, string message)
    {
        await using var gateway = await TestGateway.StartAsync();

        var (status, headers) = await DeepgramRawClient.RefusedAsync(gateway.Stream("/v1/listen", query));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(message, headers["dg-error"].Single());
        Assert.True(headers.ContainsKey("dg-request-id"));
    }

    [Fact(Timeout = 60_000)]
    public async Task Listen_UnknownParameters_AcceptedAndIgnored()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var client = await DeepgramRawClient.ConnectAsync(gateway.Stream("/v1/listen", Linear16 + "&diarize=true&no_such_option=1&redact=pci"));

        await client.SendAudioAsync(Fixture.Pcm16Bytes, 8_000);
        await client.CloseStreamAsync();
        await client.ReceiveUntilClosedAsync();

        Assert.Equal(BareWords, Words(client.Utterances));
    }
}
