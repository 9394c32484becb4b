namespace FunAsr.Simulator.Diagnostics;

/// <summary>Log event ids of the simulator, in one place.</summary>
internal static class EventIds
{
    public const int Started = 1;
    public const int ConnectionOpened = 2;
    public const int ConnectionClosed = 3;
    public const int Refused = 4;
    public const int RejectedUpgrade = 5;
    public const int Poisoned = 10;
    public const int FaultInjected = 11;
    public const int Violation = 12;
    public const int Crashed = 13;
    public const int MessageTooBig = 14;
    public const int ReceiveEnded = 20;
    public const int ProcessingEnded = 21;
}
