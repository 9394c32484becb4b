namespace Gateway.Core.Results;

/// <summary>Something the gateway tells a client; each protocol adapter renders it in its own wire format.</summary>
public abstract record ServerEvent;
