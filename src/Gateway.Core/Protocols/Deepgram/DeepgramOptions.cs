namespace Gateway.Core.Protocols.Deepgram;

/// <summary>The Deepgram-compatible <c>/v1/listen</c> endpoint. Section <c>Deepgram</c>.</summary>
public sealed class DeepgramOptions
{
    public const string Section = "Deepgram";

    /// <summary>
    /// Longest audio a prerecorded <c>POST /v1/listen</c> transcribes while the caller waits; longer recordings become
    /// a file job (202 with its id). Default 10 minutes.
    /// </summary>
    public TimeSpan PrerecordedMaxDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Largest prerecorded body (raw upload or fetched URL); larger answers 413. Default 100 MB.</summary>
    public long PrerecordedMaxBytes { get; set; } = 100L * 1024 * 1024;
}
