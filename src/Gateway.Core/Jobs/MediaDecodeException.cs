namespace Gateway.Core.Jobs;

/// <summary>ffmpeg could not decode the input; <see cref="Exception.Message"/> is ffmpeg's reason, without local paths.</summary>
public sealed class MediaDecodeException : Exception
{
    public MediaDecodeException(string reason, bool unsupported)
        : base(reason) => Unsupported = unsupported;

    /// <summary>True when the format or codec is not supported (HTTP 415); false when the data is corrupt or has no audio (422).</summary>
    public bool Unsupported { get; }
}
