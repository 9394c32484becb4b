namespace Gateway.Core.Dashboard;

/// <summary>One upstream endpoint's connections at a sample.</summary>
public sealed record DashboardUpstream(string Name, bool Healthy, int InUse, int Idle);
