namespace FunAsr.Simulator.Faults;

/// <summary>How a refused connection is refused.</summary>
public enum RefuseMode
{
    /// <summary>Accept connections normally.</summary>
    None,

    /// <summary>Answer the upgrade request with HTTP 503 instead of 101.</summary>
    RejectUpgrade,

    /// <summary>Close the TCP connection as soon as it is accepted, before any HTTP byte.</summary>
    CloseAtAccept,
}
