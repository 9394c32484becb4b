namespace Gateway.Core.Jobs;

/// <summary>
/// Turns a recording (a file or a stream, any format ffmpeg reads) into sentences with times, through the same VAD,
/// segmenter and upstream pool as live speech, at the request's priority. Used by file jobs and by any endpoint that
/// transcribes a whole recording (Deepgram's prerecorded <c>POST /v1/listen</c>). Thread-safe singleton.
/// </summary>
public interface IFileTranscriber
{
    /// <summary>
    /// Decodes, segments and transcribes the input. Throws <see cref="MediaDecodeException"/> when ffmpeg cannot
    /// read it (with ffmpeg's reason) and <see cref="FileTranscriptionException"/> when a segment found no upstream
    /// within <see cref="JobsOptions.SegmentDeadline"/>. Cancelling stops ffmpeg and every segment in flight.
    /// </summary>
    Task<FileTranscription> TranscribeAsync(FileTranscriptionRequest request, CancellationToken cancellationToken);
}
