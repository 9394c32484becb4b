using Gateway.Core.Jobs;

namespace Gateway.UnitTests.Jobs;

/// <summary>A file transcriber that says when a run reached it and answers (no segments) once the test opens its gate.</summary>
internal sealed class GatedTranscriber : IFileTranscriber
{
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<FileTranscription> TranscribeAsync(FileTranscriptionRequest request, CancellationToken cancellationToken)
    {
        Started.TrySetResult();
        await Gate.Task.WaitAsync(cancellationToken);
        return new FileTranscription(TimeSpan.FromSeconds(1), []);
    }
}
