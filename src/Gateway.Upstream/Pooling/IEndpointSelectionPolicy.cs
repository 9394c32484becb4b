namespace Gateway.Upstream.Pooling;

/// <summary>Chooses the endpoint for the next utterance among the healthy ones (<see cref="UpstreamSelectionPolicies"/>).</summary>
internal interface IEndpointSelectionPolicy
{
    EndpointPool? Select(IReadOnlyList<EndpointPool> endpoints);

    static IEndpointSelectionPolicy Create(string name) => name switch
    {
        UpstreamSelectionPolicies.RoundRobin => new RoundRobinPolicy(),
        UpstreamSelectionPolicies.FirstHealthy => new FirstHealthyPolicy(),
        _ => new PowerOfTwoChoicesPolicy(),
    };
}
