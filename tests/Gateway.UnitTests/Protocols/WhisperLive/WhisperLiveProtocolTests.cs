using Gateway.Core.Admission;
using Gateway.Core.Audio;
using Gateway.Core.Protocols;
using Gateway.Core.Protocols.WhisperLive;
using Gateway.Core.Sessions;

namespace Gateway.UnitTests.Protocols.WhisperLive;

public sealed class WhisperLiveProtocolTests
{
    private const string PythonOptions =
        """{"uid":"u1","language":null,"task":"transcribe","model":"small","use_vad":true,"max_clients":4,"max_connection_time":600,"send_last_n_segments":10,"no_speech_thresh":0.45,"clip_audio":false,"same_output_threshold":10,"enable_translation":false,"target_language":"fr","hotwords":null,"initial_prompt":null}""";

    [Fact]
    public void ParseStart_PythonClientOptions_Float32Mono16kHzAndUnknownKeysIgnored()
    {
        var protocol = Create();

        var result = protocol.ParseStart(Rendered.Utf8(PythonOptions), StreamSettings.Default);

        Assert.Null(result.Error);
        Assert.Equal(new AudioFormat(AudioEncoding.F32Le, 16_000, 1), result.Settings!.Format);
        Assert.Null(result.Settings.Language);
        Assert.True(protocol.AdmitsAfterFirstMessage);
    }

    [Fact]
    public void Write_ReadyAfterNullLanguage_ServerReadyThenOneLanguageMessage()
    {
        var protocol = Started(PythonOptions, defaultLanguage: "de");

        var messages = Rendered.Messages(protocol, Ready());

        Assert.Equal(
            [
                """{"uid":"u1","message":"SERVER_READY","backend":"faster_whisper"}""",
                """{"uid":"u1","language":"de","language_prob":1}""",
            ],
            messages);
    }

    [Fact]
    public void Write_ReadyWithLanguageGiven_NoLanguageMessage()
    {
        var protocol = Started("""{"uid":"u1","language":"fr","task":"transcribe","model":"small"}""");

        var messages = Rendered.Messages(protocol, Ready());

        Assert.Equal(["""{"uid":"u1","message":"SERVER_READY","backend":"faster_whisper"}"""], messages);
    }

    [Fact]
    public void ParseStart_EnglishOnlyModel_ForcesEnglishHint()
    {
        var result = Create().ParseStart(Rendered.Utf8("""{"uid":"u1","language":null,"task":"transcribe","model":"base.en"}"""), StreamSettings.Default);

        Assert.Equal("en", result.Settings!.Language);
    }

    [Theory]
    [InlineData("int16", AudioEncoding.PcmS16Le)]
    [InlineData("uint8", AudioEncoding.U8)]
    [InlineData("float32", AudioEncoding.F32Le)]
    public void ParseStart_AudioFormat_SelectsEncoding(string format, AudioEncoding expected)
    {
        var result = Create().ParseStart(Rendered.Utf8($$"""{"uid":"u1","language":"en","task":"transcribe","model":"small","audio_format":"{{format}}"}"""), StreamSettings.Default);

        Assert.Equal(expected, result.Settings!.Format.Encoding);
    }

    [Fact]
    public void ParseStart_MissingModel_ErrorEchoesUidAndNamesTheKey()
    {
        var protocol = Create();

        var result = protocol.ParseStart(Rendered.Utf8("""{"uid":"u1","language":"en","task":"transcribe"}"""), StreamSettings.Default);
        var messages = Rendered.Messages(protocol, new ErrorEvent(result.Error!.Code, result.Error.Message, true));

        Assert.Equal(["""{"uid":"u1","status":"ERROR","message":"the options message is missing required key \"model\""}"""], messages);
    }

    [Fact]
    public void ParseStart_UnknownAudioFormat_UnsupportedEncodingError()
    {
        var result = Create().ParseStart(Rendered.Utf8("""{"uid":"u1","language":"en","task":"transcribe","model":"small","audio_format":"mp3"}"""), StreamSettings.Default);

        Assert.Equal(ErrorCodes.UnsupportedEncoding, result.Error!.Code);
        Assert.Equal("unsupported audio_format \"mp3\"; use \"float32\", \"int16\" or \"uint8\"", result.Error.Message);
    }

    [Fact]
    public void ParseStart_NotJson_ErrorWithNullUid()
    {
        var protocol = Create();

        var result = protocol.ParseStart(Rendered.Utf8("hello"), StreamSettings.Default);
        var message = Assert.Single(Rendered.Messages(protocol, new ErrorEvent(result.Error!.Code, result.Error.Message, true)));

        Assert.StartsWith("""{"uid":null,"status":"ERROR","message":"message is not valid JSON""", message);
    }

    [Fact]
    public void Control_EndOfAudioBinaryOrText_IsGracefulClose()
    {
        var protocol = Started(PythonOptions);

        Assert.Equal(ControlKind.Close, protocol.ClassifyBinary("END_OF_AUDIO"u8));
        Assert.Equal(ControlKind.Close, protocol.ParseControl("END_OF_AUDIO"u8).Kind);
        Assert.Equal(ControlKind.None, protocol.ClassifyBinary(new byte[12]));
    }

    [Fact]
    public void ParseControl_OtherText_IsAnError()
    {
        var result = Started(PythonOptions).ParseControl("""{"uid":"u1"}"""u8);

        Assert.Equal(ErrorCodes.UnexpectedText, result.Error!.Code);
    }

    [Theory]
    [InlineData(90, "1.5")]
    [InlineData(0, "0")]
    [InlineData(-30, "0")]
    public void Write_Wait_MinutesWithUidNeverNegative(int seconds, string minutes)
    {
        var protocol = Started(PythonOptions);

        var message = Assert.Single(Rendered.Messages(protocol, new WaitEvent(TimeSpan.FromSeconds(seconds), 4)));

        Assert.Equal($$"""{"uid":"u1","status":"WAIT","message":{{minutes}}}""", message);
    }

    [Fact]
    public void Write_Disconnect_ReferenceShapeWithoutStatus()
    {
        var message = Assert.Single(Rendered.Messages(Started(PythonOptions), new DisconnectEvent(DisconnectReason.MaxConnectionTime, "limit")));

        Assert.Equal("""{"uid":"u1","message":"DISCONNECT"}""", message);
    }

    [Fact]
    public void Write_NonFatalError_IsAWarningNotAnError()
    {
        var message = Assert.Single(Rendered.Messages(Started(PythonOptions), new ErrorEvent(ErrorCodes.PartialSample, "odd bytes", false)));

        Assert.Equal("""{"uid":"u1","status":"WARNING","message":"odd bytes"}""", message);
    }

    [Fact]
    public void Write_NumericUid_EchoedAsGiven()
    {
        var protocol = Started("""{"uid":42,"language":"en","task":"transcribe","model":"small"}""");

        Assert.Equal("""{"uid":42,"message":"DISCONNECT"}""", Assert.Single(Rendered.Messages(protocol, new DisconnectEvent(DisconnectReason.IdleTimeout, ""))));
    }

    private static WhisperLiveProtocol Create(string defaultLanguage = "en") => new(new WhisperLiveOptions { DefaultLanguage = defaultLanguage });

    private static WhisperLiveProtocol Started(string options, string defaultLanguage = "en")
    {
        var protocol = Create(defaultLanguage);
        Assert.Null(protocol.ParseStart(Rendered.Utf8(options), StreamSettings.Default).Error);
        return protocol;
    }

    private static ReadyEvent Ready() => new("s-1", StreamSettings.Default, DateTimeOffset.UnixEpoch, 16_000);
}
