namespace Gateway.Upstream;

/// <summary>One endpoint's state at a glance. <c>Limit</c>: utterances it takes at once now (MaxConnections unless the adaptive limit is cut).</summary>
public sealed record UpstreamEndpointStatus(string Name, bool Healthy, int InFlight, int Idle, int Open, int Limit);
