namespace Gateway.Core.Jobs.Store;

/// <summary>A worker's claim on a job: only the holder of the current token may record progress or finish it.</summary>
public sealed record JobLease(string JobId, string Token, string Worker, JobRecord Job);
