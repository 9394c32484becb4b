namespace Gateway.Upstream.Diagnostics;

/// <summary>Logging event ids of the upstream library, in one place.</summary>
internal static class UpstreamEventIds
{
    public const int AcceptAnyCertificate = 4001;
    public const int Connected = 4002;
    public const int ConnectFailed = 4003;
    public const int CircuitOpened = 4005;
    public const int CircuitClosed = 4006;
    public const int WarmUpFailed = 4007;
    public const int ProbeFailed = 4009;
    public const int Evicted = 4010;
    public const int RecoveryProbeFailed = 4011;
    public const int HotwordSetEvicted = 4012;
    public const int LimitCut = 4013;
}
