namespace Gateway.Core.Sessions;

/// <summary>
/// What happens to a session's audio after the ring: VAD, segmentation, dispatch upstream, results.
/// One per session, created when the session starts. The pipeline owns <see cref="Audio.AudioRing.Release"/>:
/// only it knows which audio is still needed (unclassified windows, pre-roll, segments awaiting a final).
/// </summary>
public interface ISpeechPipeline : IAsyncDisposable
{
    /// <summary>Ends the current speech now (the client's <c>finalize</c>): classify what has arrived, close the open segment.</summary>
    Task FinalizeAsync(CancellationToken cancellationToken);

    /// <summary>No more audio will come: classify the rest, end open speech and wait for every pending result.</summary>
    Task DrainAsync(CancellationToken cancellationToken);
}

/// <summary>Builds a session's pipeline.</summary>
public interface ISpeechPipelineFactory
{
    /// <summary>Checks the session's settings against what the server allows; the error is sent to the client.</summary>
    ClientError? Check(StreamSettings settings);

    ISpeechPipeline Create(SessionContext session);
}
