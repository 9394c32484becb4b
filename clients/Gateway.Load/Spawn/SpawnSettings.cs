namespace Gateway.Load.Spawn;

/// <summary>What <c>--spawn</c> starts: the FunASR simulator and the gateway (Release builds) on loopback ports.</summary>
internal sealed record SpawnSettings(
    int GatewayPort,
    int SimulatorPort,
    int? MaxConnections,
    int MaxClients,
    int SimulatorStepMs,
    int SimulatorFinalMs,
    int SimulatorDecoders,
    double SimulatorDecodeCost,
    int EndpointSilenceMs,
    IReadOnlyList<string> GatewayArgs,
    string? GatewayBuild = null);
