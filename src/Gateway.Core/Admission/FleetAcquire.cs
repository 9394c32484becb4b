namespace Gateway.Core.Admission;

/// <summary>
/// The outcome of <see cref="FleetSlots.TryAcquireAsync"/>: a slot, or the fleet is full and when its earliest session
/// reaches its max connection time. <see cref="Degraded"/>: Redis did not answer, and the slot is this gateway's only.
/// </summary>
public readonly record struct FleetAcquire(FleetSlot? Slot, TimeSpan EstimatedWait, bool Degraded = false)
{
    public bool Acquired => Slot is not null;
}
