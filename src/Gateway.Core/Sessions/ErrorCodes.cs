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

    /// <summary>No credential, or an invalid one (close 4401).</summary>
    public const string Unauthorized = "unauthorized";

    /// <summary>The credential lacks the scope or is limited to another room (close 4403).</summary>
    public const string Forbidden = "forbidden";

    /// <summary>The key is over a quota (close 4429).</summary>
    public const string QuotaExceeded = "quota_exceeded";

    /// <summary>Resume refusals (docs/protocol.md, "Resume"): the token was never issued here (or is forgotten), resume is off.</summary>
    public const string ResumeUnknown = "resume_unknown";
    public const string ResumeOtherInstance = "resume_other_instance";
    public const string ResumeDisabled = "resume_disabled";

    /// <summary>The token was already used for a reconnect; the session's newer token (from its last <c>ready</c>) resumes it.</summary>
    public const string ResumeUsed = "resume_used";

    /// <summary>The session waited its resume window detached and ended.</summary>
    public const string ResumeExpired = "resume_expired";

    /// <summary>The session ended normally (closed, a limit, a shutdown); there is nothing to resume.</summary>
    public const string ResumeEnded = "resume_ended";

    /// <summary>The offset is beyond the audio the server has; the error's <c>offset</c> says where to resend from.</summary>
    public const string ResumeGap = "resume_gap";

    /// <summary>A segment no upstream transcribed (deadline, hold budget, repeated failures, close before the answer); the session continues.</summary>
    public const string UpstreamUnavailable = "upstream_unavailable";
}
