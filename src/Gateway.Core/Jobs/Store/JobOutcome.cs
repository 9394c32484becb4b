namespace Gateway.Core.Jobs.Store;

/// <summary>How a run ended, recorded by <see cref="IJobStore.FinishAsync"/>.</summary>
public sealed record JobOutcome
{
    public bool Succeeded => Error is null;

    public double DurationSeconds { get; init; }

    public double ProcessingSeconds { get; init; }

    public string? Text { get; init; }

    public IReadOnlyList<JobSentence>? Sentences { get; init; }

    public string? Error { get; init; }

    public int? ErrorStatus { get; init; }
}
