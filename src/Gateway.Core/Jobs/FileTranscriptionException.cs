namespace Gateway.Core.Jobs;

/// <summary>A segment of the recording could not be transcribed (no upstream within the deadline, or it kept failing).</summary>
public sealed class FileTranscriptionException : Exception
{
    public FileTranscriptionException(string message)
        : base(message)
    {
    }
}
