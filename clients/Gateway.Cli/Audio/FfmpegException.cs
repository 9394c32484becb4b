namespace Gateway.Cli.Audio;

/// <summary>ffmpeg could not be started.</summary>
internal sealed class FfmpegException : Exception
{
    public FfmpegException(string message)
        : base(message)
    {
    }

    public FfmpegException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
