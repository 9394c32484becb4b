namespace Gateway.Upstream.Pooling;

/// <summary>
/// Pick two healthy endpoints at random and return the one with fewer utterances in flight (plus waiters). This avoids
/// scanning the whole list, but still avoids overloading a single server.
/// </summary>
internal sealed class PowerOfTwoChoicesPolicy : IEndpointSelectionPolicy
{
    public EndpointPool? Select(IReadOnlyList<EndpointPool> endpoints)
    {
        if (endpoints.Count == 1)
        {
            return endpoints[0].IsHealthy ? endpoints[0] : null;
        }

        var first = endpoints[Random.Shared.Next(endpoints.Count)];
        var second = endpoints[Random.Shared.Next(endpoints.Count)];
        if (first.IsHealthy && second.IsHealthy)
        {
            return second.Load < first.Load ? second : first;
        }

        if (first.IsHealthy || second.IsHealthy)
        {
            return first.IsHealthy ? first : second;
        }

        // Both picks were unhealthy: fall back to the least loaded healthy one, if any.
        EndpointPool? best = null;
        foreach (var e in endpoints)
        {
            if (e.IsHealthy && (best is null || e.Load < best.Load))
            {
                best = e;
            }
        }

        return best;
    }
}
