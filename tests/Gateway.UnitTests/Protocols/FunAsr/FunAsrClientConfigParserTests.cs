using Gateway.Core.Audio;
using Gateway.Core.Protocols;
using Gateway.Core.Protocols.FunAsr;
using Gateway.Core.Sessions;
using Gateway.Upstream;

namespace Gateway.UnitTests.Protocols.FunAsr;

/// <summary>Loose real-world config input (funasr.md §8.3 rule 6).</summary>
public sealed class FunAsrClientConfigParserTests
{
    [Theory]
    [InlineData("""{"chunk_size":[5,10,5]}""")]
    [InlineData("""{"chunk_size":"5,10,5"}""")]
    [InlineData("""{"chunk_size":"8, 8, 4","unknown_key":{"x":1}}""")]
    [InlineData("""{"hotwords":"{\"阿里巴巴\":20,\"达摩院\":\"30\"}"}""")]
    [InlineData("""{"hotwords":"阿里巴巴 达摩院"}""")]
    [InlineData("""{"hotwords":{"gateway":20}}""")]
    [InlineData("""{"is_speaking":1,"itn":false,"svs_lang":"auto"}""")]
    [InlineData("""{"mode":null,"chunk_size":null,"hotwords":null,"wav_name":null,"audio_fs":null}""")]
    public void Parse_LooseButMeaningfulInput_Accepted(string config)
    {
        var (parsed, error) = FunAsrClientConfigParser.Parse(Rendered.Utf8(config));

        Assert.Null(error);
        Assert.NotNull(parsed);
    }

    [Theory]
    [InlineData("""{"chunk_size":"abc"}""", ErrorCodes.InvalidConfig)]
    [InlineData("""{"chunk_size":5}""", ErrorCodes.InvalidConfig)]
    [InlineData("""{"mode":"streaming"}""", ErrorCodes.InvalidConfig)]
    [InlineData("""{"wav_format":"mp3"}""", ErrorCodes.UnsupportedEncoding)]
    [InlineData("""{"audio_fs":11025}""", ErrorCodes.UnsupportedSampleRate)]
    [InlineData("""{"hotwords":"{\"a\":\"many\"}"}""", ErrorCodes.InvalidConfig)]
    [InlineData("""{"is_speaking":"no"}""", ErrorCodes.InvalidConfig)]
    [InlineData("""{"wav_name":""", ErrorCodes.InvalidJson)]
    [InlineData("""[1,2]""", ErrorCodes.InvalidConfig)]
    public void Parse_MeaninglessInput_ErrorInsteadOfSilence(string config, string code)
    {
        var (_, error) = FunAsrClientConfigParser.Parse(Rendered.Utf8(config));

        Assert.Equal(code, error!.Code);
    }

    [Fact]
    public void Parse_HotwordsAsJsonStringWithStringWeights_WeightsRead()
    {
        var (config, _) = FunAsrClientConfigParser.Parse(Rendered.Utf8("""{"hotwords":"{\"阿里巴巴\":20,\"达摩院\":\"30\"}"}"""));

        Assert.Equal(20, config!.Hotwords!["阿里巴巴"]);
        Assert.Equal(30, config.Hotwords["达摩院"]);
    }

    [Theory]
    [InlineData("""{"is_speaking":false}""", true)]
    [InlineData("""{"is_finished":true}""", true)]
    [InlineData("""{"is_speaking":true}""", false)]
    [InlineData("""{"wav_name":"x"}""", false)]
    public void Parse_EndOfSpeechForms_Recognised(string config, bool eos)
    {
        Assert.Equal(eos, FunAsrClientConfigParser.Parse(Rendered.Utf8(config)).Config!.EndOfSpeech);
    }

    [Fact]
    public void ParseStart_H5FileConfig_RateFromAudioFsAndPcm16()
    {
        var protocol = new FunAsrProtocol(FunAsrFlavour.TwoPass, new FunAsrEndpointOptions());

        var result = protocol.ParseStart(Rendered.Utf8("""{"mode":"offline","chunk_size":[5,10,5],"wav_name":"h5","wav_format":"PCM","audio_fs":8000,"is_speaking":true,"hotwords":"{\"hi\":20}"}"""), StreamSettings.Default);

        Assert.Equal(new AudioFormat(AudioEncoding.PcmS16Le, 8_000, 1), result.Settings!.Format);
        Assert.Equal(20, result.Settings.Hotwords["hi"]);
        Assert.Equal(ControlKind.None, result.Then);
    }

    [Fact]
    public void ParseStart_EosAsTheFirstMessage_StartsThenFinalizes()
    {
        var protocol = new FunAsrProtocol(FunAsrFlavour.Offline, new FunAsrEndpointOptions());

        var result = protocol.ParseStart("""{"is_speaking":false}"""u8, StreamSettings.Default);

        Assert.NotNull(result.Settings);
        Assert.Equal(ControlKind.Finalize, result.Then);
    }

    [Fact]
    public void ParseControl_DifferentAudioFsMidConnection_Refused()
    {
        var protocol = FunAsrTwoPassTests.Started("""{"audio_fs":16000}""");

        var result = protocol.ParseControl("""{"audio_fs":8000,"is_speaking":true}"""u8);

        Assert.Equal(ErrorCodes.UnsupportedSampleRate, result.Error!.Code);
    }
}
