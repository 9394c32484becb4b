namespace Gateway.Core.Configuration;

/// <summary>Thrown at start-up when configuration is invalid; the message lists every problem, one per line.</summary>
public sealed class InvalidGatewayConfigurationException : Exception
{
    public InvalidGatewayConfigurationException(IReadOnlyList<string> failures)
        : base(Format(failures)) => Failures = failures;

    public InvalidGatewayConfigurationException() : this([]) { }

    public InvalidGatewayConfigurationException(string message) : base(message) => Failures = [message];

    public InvalidGatewayConfigurationException(string message, Exception innerException)
        : base(message, innerException) => Failures = [message];

    public IReadOnlyList<string> Failures { get; } = [];

    private static string Format(IReadOnlyList<string> failures) =>
        $"Invalid gateway configuration ({failures.Count} error{(failures.Count == 1 ? "" : "s")}):"
        + string.Concat(failures.Select(f => Environment.NewLine + "  - " + f));
}
