namespace Gateway.Upstream.Pooling;

/// <summary>Healthy endpoints in turn.</summary>
internal sealed class RoundRobinPolicy : IEndpointSelectionPolicy
{
    private int _next = -1;

    public EndpointPool? Select(IReadOnlyList<EndpointPool> endpoints)
    {
        var start = Interlocked.Increment(ref _next) & int.MaxValue;
        for (var i = 0; i < endpoints.Count; i++)
        {
            var e = endpoints[(start + i) % endpoints.Count];
            if (e.IsHealthy)
            {
                return e;
            }
        }

        return null;
    }
}
