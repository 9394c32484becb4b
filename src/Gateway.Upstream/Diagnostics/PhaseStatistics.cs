namespace Gateway.Upstream.Diagnostics;

/// <summary>Count, mean and maximum of one phase, in microseconds.</summary>
public readonly record struct PhaseStatistics(long Count, double MeanMicroseconds, double MaxMicroseconds);
