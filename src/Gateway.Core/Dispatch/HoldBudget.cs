namespace Gateway.Core.Dispatch;

/// <summary>
/// The gateway-wide budget of held audio: bytes of segments that wait for an upstream that failed or is missing.
/// Shared by every session; each session also has its own (<see cref="DispatchOptions.SessionHoldSeconds"/>).
/// Thread-safe.
/// </summary>
public sealed class HoldBudget
{
    private long _held;

    public HoldBudget(long limitBytes) => LimitBytes = limitBytes;

    public long LimitBytes { get; }

    /// <summary>Bytes held now, across sessions.</summary>
    public long HeldBytes => Volatile.Read(ref _held);

    /// <summary>Takes <paramref name="bytes"/> from the budget; false (and nothing taken) when it would exceed the limit.</summary>
    public bool TryReserve(long bytes)
    {
        var current = Volatile.Read(ref _held);
        while (true)
        {
            if (current + bytes > LimitBytes)
            {
                return false;
            }

            var seen = Interlocked.CompareExchange(ref _held, current + bytes, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }
    }

    public void Return(long bytes) => Interlocked.Add(ref _held, -bytes);
}
