namespace FunAsr.Simulator.Diagnostics;

/// <summary>One client misbehaviour seen by the simulator.</summary>
/// <param name="ConnectionId">The connection, numbered from 1 in accept order.</param>
/// <param name="Kind">What was wrong.</param>
/// <param name="Detail">Human-readable detail (field name, values).</param>
public sealed record ProtocolViolation(long ConnectionId, ViolationKind Kind, string Detail);
