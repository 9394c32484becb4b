namespace Gateway.Core.Admission;

/// <summary>One slot held in a <see cref="FleetScope"/>. Disposing it gives the slot back to the fleet, once.</summary>
public sealed class FleetSlot : IDisposable
{
    private readonly FleetSlots _owner;
    private int _released;

    internal FleetSlot(FleetSlots owner, FleetScope scope)
    {
        _owner = owner;
        Scope = scope;
    }

    public FleetScope Scope { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _owner.Release(Scope);
        }
    }
}
