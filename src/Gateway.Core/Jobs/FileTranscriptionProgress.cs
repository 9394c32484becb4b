namespace Gateway.Core.Jobs;

/// <summary>How far a transcription is.</summary>
/// <param name="Done">Audio, from the start, whose finals have all arrived.</param>
/// <param name="Duration">The recording's duration (ffmpeg's estimate until decoding ends), or zero when not known yet.</param>
public readonly record struct FileTranscriptionProgress(TimeSpan Done, TimeSpan Duration)
{
    /// <summary>Share of the audio done, 0..1 (0 while the duration is unknown).</summary>
    public double Fraction => Duration > TimeSpan.Zero ? Math.Clamp(Done / Duration, 0, 1) : 0;
}
