namespace Gateway.Upstream;

/// <summary>One endpoint's state at a glance.</summary>
public sealed record UpstreamEndpointStatus(string Name, bool Healthy, int InFlight, int Idle, int Open);
