using Gateway.Core.Protocols.FunAsr;
using Gateway.Core.Results;
using Gateway.Core.Sessions;
using Gateway.Upstream;

namespace Gateway.UnitTests.Protocols.FunAsr;

/// <summary>The offline flavour: exactly one message per end of speech (funasr.md §4.1, §8.3 rule 2).</summary>
public sealed class FunAsrOfflineTests
{
    private const string CppOfflineConfig = """{"chunk_size":[5,10,5],"chunk_interval":10,"wav_name":"a.wav","wav_format":"pcm","audio_fs":16000,"itn":true,"svs_itn":true,"is_speaking":true}""";

    [Fact]
    public void Write_SeveralFinalsThenEos_OneMessageWithTheWholeText()
    {
        var protocol = FunAsrTwoPassTests.Started(CppOfflineConfig, FunAsrFlavour.Offline);
        protocol.ParseControl("""{"is_speaking":false}"""u8);

        var messages = Rendered.Messages(
            protocol,
            new PartialEvent(1, "hello", 0, 100),
            new FinalEvent(1, "Hello world.", 0, 16_000, []),
            new FinalEvent(2, "How are you?", 20_000, 40_000, []),
            new FinalEvent(3, "很好。", 40_000, 50_000, []),
            new FlushedEvent(50_000));

        Assert.Equal(["""{"is_final":false,"mode":"offline","text":"Hello world. How are you? 很好。","wav_name":"a.wav"}"""], messages);
    }

    [Fact]
    public void Write_EmptyUtterance_StillExactlyOneMessage()
    {
        var protocol = FunAsrTwoPassTests.Started(CppOfflineConfig, FunAsrFlavour.Offline);
        protocol.ParseControl("""{"is_finished":true}"""u8);

        var messages = Rendered.Messages(protocol, new FlushedEvent(0));

        Assert.Equal(["""{"is_final":false,"mode":"offline","text":"","wav_name":"a.wav"}"""], messages);
    }

    [Fact]
    public void Write_OfflineIsFinalSetAndAckRequested_IsFinalTrueThenAck()
    {
        var protocol = FunAsrTwoPassTests.Started("""{"mode":"offline","wav_name":"h5","wav_format":"PCM","is_speaking":true}""", FunAsrFlavour.Offline, offlineIsFinal: true);
        protocol.ParseControl("""{"is_speaking":false,"is_end":true}"""u8);

        var messages = Rendered.Messages(protocol, new FinalEvent(1, "好", 0, 10, []), new FlushedEvent(16));

        Assert.Equal(
            [
                """{"is_final":true,"mode":"offline","text":"好","wav_name":"h5"}""",
                """{"is_end":true,"is_final":true,"mode":"offline","wav_name":"h5"}""",
            ],
            messages);
    }

    [Fact]
    public void Write_SecondUtterance_TextResetBetweenUtterances()
    {
        var protocol = FunAsrTwoPassTests.Started(CppOfflineConfig, FunAsrFlavour.Offline);
        protocol.ParseControl("""{"is_speaking":false}"""u8);
        protocol.ParseControl("""{"wav_name":"b.wav","is_speaking":true}"""u8);
        protocol.ParseControl("""{"is_speaking":false}"""u8);

        var messages = Rendered.Messages(
            protocol,
            new FinalEvent(1, "first", 0, 10, []),
            new FlushedEvent(100),
            new FinalEvent(2, "second", 200, 300, []),
            new FlushedEvent(400));

        Assert.Equal(
            [
                """{"is_final":false,"mode":"offline","text":"first","wav_name":"a.wav"}""",
                """{"is_final":false,"mode":"offline","text":"second","wav_name":"b.wav"}""",
            ],
            messages);
    }
}
