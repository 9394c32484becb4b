namespace Gateway.Core.Dispatch;

/// <summary>Who gets an upstream connection first when the pool is short. Live speech always wins.</summary>
public enum DispatchPriority
{
    /// <summary>Someone is waiting for these captions now.</summary>
    Live,

    /// <summary>Work nobody watches live (file jobs): takes a connection only while no live segment waits.</summary>
    Background,
}
