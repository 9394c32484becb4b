namespace Gateway.Core.Dashboard;

/// <summary>A recent error: a client error code (<c>gateway.session.errors</c>) or a failed segment.</summary>
public sealed record DashboardError(DateTimeOffset At, string Code);
