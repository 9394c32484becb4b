namespace Gateway.Core.Jobs.Store;

/// <summary>A page of history, newest first, optionally one status only.</summary>
public sealed record JobQuery(int Page = 1, int PageSize = 20, JobStatus? Status = null);
