namespace Gateway.Core.Sessions;

/// <summary>The <c>code</c> of error messages, one per kind of bad input (documented in docs/protocol.md).</summary>
public static class ErrorCodes
{
    public const string InvalidJson = "invalid_json";
    public const string InvalidConfig = "invalid_config";
    public const string UnsupportedEncoding = "unsupported_encoding";
    public const string UnsupportedSampleRate = "unsupported_sample_rate";
    public const string UnsupportedChannels = "unsupported_channels";
    public const string UnexpectedText = "unexpected_text";
    public const string UnknownMessage = "unknown_message";
    public const string MessageTooBig = "message_too_big";
    public const string PartialSample = "partial_sample";
    public const string AudioOverflow = "audio_overflow";
    public const string SlowConsumer = "slow_consumer";
    public const string InternalError = "internal_error";

    /// <summary>A segment no upstream transcribed (deadline, hold budget, repeated failures, close before the answer); the session continues.</summary>
    public const string UpstreamUnavailable = "upstream_unavailable";
}
