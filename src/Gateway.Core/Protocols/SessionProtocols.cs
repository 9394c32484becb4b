using Gateway.Core.Protocols.Deepgram;
using Gateway.Core.Protocols.FunAsr;
using Gateway.Core.Protocols.Native;
using Gateway.Core.Protocols.WhisperLive;
using Gateway.Upstream;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Protocols;

/// <summary>Creates the per-connection protocol instance of each endpoint from its configuration.</summary>
public sealed class SessionProtocols
{
    private readonly WhisperLiveOptions _whisperLive;
    private readonly FunAsrEndpointOptions _funAsr;

    private readonly TimeProvider _time;

    public SessionProtocols(IOptions<WhisperLiveOptions> whisperLive, IOptions<FunAsrEndpointOptions> funAsr, TimeProvider time)
    {
        _time = time;
        _whisperLive = whisperLive.Value;
        _funAsr = funAsr.Value;
        // Validated at start-up (FunAsrEndpointOptionsValidator).
        RootFunAsrFlavour = FunAsrFlavours.TryParse(_funAsr.RootFlavour, out var root) ? root : FunAsrFlavour.TwoPass;
    }

    /// <summary>The flavour for FunASR clients found on the root path (<c>FunAsrEndpoint:RootFlavour</c>).</summary>
    public FunAsrFlavour RootFunAsrFlavour { get; }

    public ISessionProtocol WhisperLive() => new WhisperLiveProtocol(_whisperLive);

    public ISessionProtocol FunAsr(FunAsrFlavour flavour) => new FunAsrProtocol(flavour, _funAsr);

    /// <summary>Deepgram's <c>/v1/listen</c>: one protocol per stream (per channel with <c>multichannel=true</c>).</summary>
    public ISessionProtocol Deepgram(DeepgramListen listen, int channel) => new DeepgramProtocol(listen, channel, _time);

    public ISessionProtocol For(DetectedProtocol detected) => detected switch
    {
        DetectedProtocol.WhisperLive => WhisperLive(),
        DetectedProtocol.FunAsr => FunAsr(RootFunAsrFlavour),
        _ => NativeProtocol.Instance,
    };
}
