namespace Gateway.Upstream;

/// <summary>Names of the endpoint selection policies (<c>Upstream:SelectionPolicy</c>).</summary>
public static class UpstreamSelectionPolicies
{
    /// <summary>Pick two healthy endpoints at random and use the one with fewer utterances in flight. The default.</summary>
    public const string PowerOfTwoChoices = "PowerOfTwoChoices";

    /// <summary>Healthy endpoints in turn.</summary>
    public const string RoundRobin = "RoundRobin";

    /// <summary>The first healthy endpoint in configuration order (primary with fail-over).</summary>
    public const string FirstHealthy = "FirstHealthy";

    public static readonly IReadOnlyList<string> All = [PowerOfTwoChoices, RoundRobin, FirstHealthy];
}
