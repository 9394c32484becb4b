namespace Gateway.Upstream.Pooling;

/// <summary>The first healthy endpoint in configuration order.</summary>
internal sealed class FirstHealthyPolicy : IEndpointSelectionPolicy
{
    public EndpointPool? Select(IReadOnlyList<EndpointPool> endpoints)
    {
        foreach (var e in endpoints)
        {
            if (e.IsHealthy)
            {
                return e;
            }
        }

        return null;
    }
}
