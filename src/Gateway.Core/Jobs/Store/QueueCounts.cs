namespace Gateway.Core.Jobs.Store;

public sealed record QueueCounts(int Queued, int Processing, int Done, int Failed, long StoredBytes);
