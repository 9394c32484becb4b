using Gateway.Load.Protocols;

namespace Gateway.Load.Streams;

/// <summary>How each paced stream behaves.</summary>
/// <param name="Duration">Audio keeps coming until this has passed; the utterance in progress (and its silence) is finished.</param>
/// <param name="TalkRatio">Share of the audio that is speech (0.2 = 20 % talk time).</param>
/// <param name="FrameMs">Audio per WebSocket message.</param>
/// <param name="Ramp">Stream starts are spread evenly over this.</param>
/// <param name="RealTimeFactor">1 = real time; 2 = twice as fast.</param>
/// <param name="EndpointSilenceMs">Sent as <c>endpoint_silence_ms</c> in <c>start</c>; subtracted for the overhead.</param>
/// <param name="DrainTimeout">Bound on waiting for the results and the close after <c>close</c>.</param>
/// <param name="Protocol">The endpoint's protocol: <see cref="ProtocolClients.Native"/>, <c>whisperlive</c> or <c>funasr</c>.</param>
internal sealed record StreamSettings(
    TimeSpan Duration,
    double TalkRatio,
    int FrameMs,
    TimeSpan Ramp,
    double RealTimeFactor,
    int EndpointSilenceMs,
    int Seed,
    TimeSpan DrainTimeout,
    string Protocol = ProtocolClients.Native)
{
    public int FrameSamples => FrameMs * 16;

    /// <summary>Silence after each utterance at least: the endpoint, post-roll and a margin, so segments never merge.</summary>
    public int MinGapSamples => (EndpointSilenceMs + 1000) * 16;
}
