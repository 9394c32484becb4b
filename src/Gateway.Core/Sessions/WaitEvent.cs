using Gateway.Core.Results;

namespace Gateway.Core.Sessions;

/// <summary>The server is full; the socket closes with <see cref="CloseCodes.TryAgainLater"/>.</summary>
public sealed record WaitEvent(TimeSpan EstimatedWait, int MaxClients) : ServerEvent;
