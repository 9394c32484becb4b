namespace Gateway.Core.Protocols.WhisperLive;

/// <summary>What a WhisperLive options message says, beyond the stream settings.</summary>
/// <param name="Uid">The raw JSON value of <c>uid</c>, echoed in every reply; null when absent or unreadable.</param>
/// <param name="SendLastN">Completed segments per <c>segments</c> message.</param>
/// <param name="ReportLanguage">The language to announce once after ready, when the client asked for detection.</param>
internal sealed record WhisperLiveStart(byte[]? Uid, StartResult Result, int SendLastN, string? ReportLanguage);
