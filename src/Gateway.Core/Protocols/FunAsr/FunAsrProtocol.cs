using Gateway.Core.Audio;
using Gateway.Core.Sessions;
using Gateway.Upstream;

namespace Gateway.Core.Protocols.FunAsr;

/// <summary>
/// Impersonates a FunASR runtime server toward FunASR clients (docs/funasr-endpoint.md; reference in
/// shared/protocols/funasr.md §8): config messages (also between utterances), 16-bit PCM, <c>is_speaking:false</c>
/// ends an utterance; many utterances per connection. The gateway's admission, VAD and upstream pool work behind it.
/// One instance per connection. Parsing (receive loop) is in this file, rendering (send loop) in
/// <c>FunAsrProtocol.Render.cs</c>; <see cref="FunAsrUtterances"/> is the only state both touch.
/// </summary>
internal sealed partial class FunAsrProtocol : ISessionProtocol
{
    private readonly FunAsrUtterances _utterances;
    private readonly WavHeaderSkipper _wavHeader = new();
    private int _sampleRate = AudioFormat.PipelineRate;

    public FunAsrProtocol(FunAsrFlavour flavour, FunAsrEndpointOptions options)
    {
        if (flavour is not (FunAsrFlavour.TwoPass or FunAsrFlavour.Offline))
        {
            throw new ArgumentOutOfRangeException(nameof(flavour), flavour, "The FunASR endpoint impersonates the 2pass or the offline server.");
        }

        Flavour = flavour;
        _offlineIsFinal = options.OfflineIsFinal;
        _utterances = new FunAsrUtterances(flavour == FunAsrFlavour.TwoPass ? FunAsrModes.TwoPass : FunAsrModes.Offline);
        _wavHeader.Arm();
    }

    public FunAsrFlavour Flavour { get; }

    public string Name => Flavour == FunAsrFlavour.TwoPass ? "funasr" : "funasr-offline";

    /// <summary>Audio may come before any config, so admission happens at the upgrade.</summary>
    public bool AdmitsAfterFirstMessage => false;

    public StartResult ParseStart(ReadOnlySpan<byte> utf8, StreamSettings initial)
    {
        var (config, error) = FunAsrClientConfigParser.Parse(utf8);
        if (error is not null)
        {
            return new StartResult(null, error);
        }

        _sampleRate = config!.AudioFs ?? AudioFormat.PipelineRate;
        var settings = initial with
        {
            Format = new AudioFormat(AudioEncoding.PcmS16Le, _sampleRate, 1),
            Hotwords = config.Hotwords ?? initial.Hotwords,
            Language = config.Language ?? initial.Language,
            InterimResults = true,
        };
        return new StartResult(settings, null, Apply(config));
    }

    public ControlResult ParseControl(ReadOnlySpan<byte> utf8)
    {
        var (config, error) = FunAsrClientConfigParser.Parse(utf8);
        if (error is not null)
        {
            return new ControlResult(ControlKind.None, error);
        }

        // Hotwords are connection-scoped on the C++ servers too (the first value wins); the audio format is fixed
        // once the session started, so a different rate cannot be honoured and is refused rather than misread.
        if (config!.AudioFs is { } rate && rate != _sampleRate)
        {
            return new ControlResult(ControlKind.None, new ClientError(
                ErrorCodes.UnsupportedSampleRate,
                $"audio_fs cannot change within a connection (started at {_sampleRate}, now {rate}); open a new connection",
                CloseCodes.UnsupportedData));
        }

        return new ControlResult(Apply(config), null);
    }

    public ControlKind ClassifyBinary(ReadOnlySpan<byte> message) => ControlKind.None;

    public int NonAudioPrefix(ReadOnlySpan<byte> chunk) => _wavHeader.Skip(chunk);

    /// <summary>Names the open utterance; an end of speech queues it for its flush and re-arms the header check.</summary>
    private ControlKind Apply(FunAsrClientConfig config)
    {
        _utterances.Configure(config.WavName, config.Mode);
        if (config.EndOfSpeech)
        {
            _utterances.End(config.AckRequested);
            _wavHeader.Arm();
            return ControlKind.Finalize;
        }

        // A config starts an utterance; its audio may begin with the file's WAV header.
        _wavHeader.Arm();
        return ControlKind.None;
    }
}
