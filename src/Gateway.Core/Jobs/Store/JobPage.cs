namespace Gateway.Core.Jobs.Store;

public sealed record JobPage(IReadOnlyList<JobRecord> Items, int Total, int Page, int PageSize);
