using Gateway.Core.Protocols;
using Gateway.Core.Protocols.FunAsr;
using Gateway.Core.Results;
using Gateway.Core.Sessions;
using Gateway.Upstream;

namespace Gateway.UnitTests.Protocols.FunAsr;

/// <summary>What a FunASR 2pass client sees for a sequence of results (funasr.md §4.2, §8.3 rules 3, 4, 7, 8).</summary>
public sealed class FunAsrTwoPassTests
{
    private const string Config = """{"mode":"2pass","chunk_size":[5,10,5],"chunk_interval":10,"wav_name":"utt-1","wav_format":"pcm","is_speaking":true,"hotwords":"","itn":true}""";

    [Fact]
    public void Write_PartialsFinalAndEos_DeltasSentencesThenOneTerminal()
    {
        var protocol = Started(Config);
        Assert.Equal(ControlKind.Finalize, protocol.ParseControl("""{"is_speaking":false}"""u8).Kind);

        var messages = Rendered.Messages(
            protocol,
            new SpeechStartedEvent(1, 1_600),
            new PartialEvent(1, "今天", 1_600, 9_600),
            new PartialEvent(1, "今天天气", 1_600, 19_200),
            new FinalEvent(1, "今天天气不错。你好。", 1_600, 40_000, [new Sentence("今天天气不错。", 1_600, 30_000), new Sentence("你好。", 30_000, 40_000)]),
            new FlushedEvent(48_000));

        Assert.Equal(
            [
                """{"is_final":false,"mode":"2pass-online","text":"今天","wav_name":"utt-1"}""",
                """{"is_final":false,"mode":"2pass-online","text":"天气","wav_name":"utt-1"}""",
                """{"end_time":1875,"is_final":false,"mode":"2pass-offline","start_time":100,"text":"今天天气不错。","wav_name":"utt-1"}""",
                """{"end_time":2500,"is_final":false,"mode":"2pass-offline","start_time":1875,"text":"你好。","wav_name":"utt-1"}""",
                """{"is_final":true,"text":"","wav_name":"utt-1"}""",
            ],
            messages);
    }

    [Fact]
    public void Write_EosWithIsEnd_AckFollowsTheTerminalMessage()
    {
        var protocol = Started(Config);
        protocol.ParseControl("""{"is_speaking":false,"is_end":true}"""u8);

        var messages = Rendered.Messages(protocol, new FlushedEvent(16_000));

        Assert.Equal(
            [
                """{"is_final":true,"text":"","wav_name":"utt-1"}""",
                """{"is_end":true,"is_final":true,"mode":"2pass","wav_name":"utt-1"}""",
            ],
            messages);
    }

    [Fact]
    public void Write_FailedSegmentBeforeAckedEos_AckCarriesTheErrorAndIsNotFinal()
    {
        var protocol = Started(Config);
        protocol.ParseControl("""{"is_speaking":false,"is_end":true}"""u8);

        var messages = Rendered.Messages(protocol, new SegmentFailedEvent(1, 0, 100, "upstream_unavailable", "no upstream"), new FlushedEvent(16_000));

        Assert.Equal("""{"error":"upstream_unavailable: no upstream","is_end":true,"is_final":false,"mode":"2pass","wav_name":"utt-1"}""", messages[^1]);
    }

    [Fact]
    public void Write_RevisedPartial_NoDeltaUntilItExtendsWhatWasSent()
    {
        var messages = Rendered.Messages(
            Started(Config),
            new PartialEvent(1, "hello wor", 0, 100),
            new PartialEvent(1, "hello were", 0, 200),
            new PartialEvent(1, "hello word", 0, 300));

        Assert.Equal(
            [
                """{"is_final":false,"mode":"2pass-online","text":"hello wor","wav_name":"utt-1"}""",
                """{"is_final":false,"mode":"2pass-online","text":"d","wav_name":"utt-1"}""",
            ],
            messages);
    }

    [Fact]
    public void Write_OfflineModeRequested_OnlySentencesAndTheFinal()
    {
        var protocol = Started("""{"mode":"offline","chunk_size":[5,10,5],"wav_name":"f.wav","is_speaking":true}""");
        protocol.ParseControl("""{"is_speaking":false}"""u8);

        var messages = Rendered.Messages(protocol, new PartialEvent(1, "hi", 0, 100), new FinalEvent(1, "Hi.", 0, 160, []), new FlushedEvent(320));

        Assert.Equal(
            [
                """{"end_time":10,"is_final":false,"mode":"2pass-offline","start_time":0,"text":"Hi.","wav_name":"f.wav"}""",
                """{"is_final":true,"text":"","wav_name":"f.wav"}""",
            ],
            messages);
    }

    [Fact]
    public void Write_OnlineModeRequested_FinalOnlyExtendsTheStreamedText()
    {
        var protocol = Started("""{"mode":"online","chunk_size":"5,10,5","wav_name":"m","is_speaking":true}""");

        var messages = Rendered.Messages(protocol, new PartialEvent(1, "good", 0, 100), new FinalEvent(1, "good morning", 0, 160, []), new FinalEvent(2, "bye", 200, 300, []));

        Assert.Equal(
            [
                """{"is_final":false,"mode":"2pass-online","text":"good","wav_name":"m"}""",
                """{"is_final":false,"mode":"2pass-online","text":" morning","wav_name":"m"}""",
                """{"is_final":false,"mode":"2pass-online","text":"bye","wav_name":"m"}""",
            ],
            messages);
    }

    [Fact]
    public void Write_NextUtteranceConfiguredBeforeResultsRendered_ResultsKeepTheirUtterancesName()
    {
        var protocol = Started(Config);
        protocol.ParseControl("""{"is_speaking":false}"""u8);
        protocol.ParseControl("""{"wav_name":"utt-2","is_speaking":true}"""u8); // the receive loop is ahead of the send loop

        var messages = Rendered.Messages(
            protocol,
            new FinalEvent(1, "one", 0, 16_000, []),
            new FlushedEvent(16_000),
            new FinalEvent(2, "two", 20_000, 32_000, []));

        Assert.Contains("\"wav_name\":\"utt-1\"", messages[0]);
        Assert.Equal("""{"is_final":true,"text":"","wav_name":"utt-1"}""", messages[1]);
        Assert.Equal("""{"end_time":1000,"is_final":false,"mode":"2pass-offline","start_time":250,"text":"two","wav_name":"utt-2"}""", messages[2]);
    }

    [Fact]
    public void Write_WaitAndFatalErrors_ErrorTextWithIsFinalTrue()
    {
        var protocol = Started(Config);

        var messages = Rendered.Messages(
            protocol,
            new WaitEvent(TimeSpan.FromSeconds(412.2), 100),
            new ErrorEvent(ErrorCodes.InvalidJson, "message is not valid JSON", true));

        Assert.Equal(
            [
                """{"error":"server_full","is_final":true,"text":"ERROR. Server is full (100 sessions); estimated wait 413 s. Try again later.","wav_name":"utt-1"}""",
                """{"error":"invalid_json","is_final":true,"text":"ERROR. message is not valid JSON","wav_name":"utt-1"}""",
            ],
            messages);
    }

    [Fact]
    public void Write_ReadyAndSpeechEvents_RenderNothing()
    {
        var messages = Rendered.Messages(
            Started(Config),
            new ReadyEvent("s", StreamSettings.Default, DateTimeOffset.UnixEpoch, 1),
            new SpeechStartedEvent(1, 0),
            new SpeechEndedEvent(1, 0, 1, "endpoint"));

        Assert.Empty(messages);
    }

    internal static FunAsrProtocol Started(string config, FunAsrFlavour flavour = FunAsrFlavour.TwoPass, bool offlineIsFinal = false)
    {
        var protocol = new FunAsrProtocol(flavour, new FunAsrEndpointOptions { OfflineIsFinal = offlineIsFinal });
        Assert.Null(protocol.ParseStart(Rendered.Utf8(config), StreamSettings.Default).Error);
        return protocol;
    }
}
