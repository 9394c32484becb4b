namespace FunAsr.Simulator.Faults;

/// <summary>
/// Fault injection, mutable while the simulator runs. Thread-safe: set by tests, read by every connection.
/// Per-utterance faults are decided when an utterance starts: a pending "next N" count is used first,
/// then the probability, drawn from a <see cref="Random"/> seeded with <see cref="Seed"/> so runs repeat.
/// </summary>
public sealed class SimulatorFaults
{
    private readonly Lock _lock = new();
    private Random _random;
    private double _dropProbability;
    private double _silentProbability;
    private int _dropNext;
    private int _silentNext;
    private int _refuseNext;
    private RefuseMode _refuseNextMode;
    private RefuseMode _refuse;
    private TimeSpan _extraDelay;

    /// <param name="seed">Seed of the fault dice. Default 4242.</param>
    public SimulatorFaults(int seed = 4242)
    {
        Seed = seed;
        _random = new Random(seed);
    }

    public int Seed { get; private set; }

    /// <summary>Probability (0..1) that an utterance has its connection dropped mid-utterance. Default 0.</summary>
    public double DropConnectionProbability
    {
        get { lock (_lock) { return _dropProbability; } }
        set { ValidateProbability(value); lock (_lock) { _dropProbability = value; } }
    }

    /// <summary>Probability (0..1) that an utterance never gets its terminal message. Default 0.</summary>
    public double SilentFinalProbability
    {
        get { lock (_lock) { return _silentProbability; } }
        set { ValidateProbability(value); lock (_lock) { _silentProbability = value; } }
    }

    /// <summary>Added to every processing step and every final. Default zero.</summary>
    public TimeSpan ExtraDelay
    {
        get { lock (_lock) { return _extraDelay; } }
        set { lock (_lock) { _extraDelay = value < TimeSpan.Zero ? TimeSpan.Zero : value; } }
    }

    /// <summary>Refuse every new connection this way. Default <see cref="RefuseMode.None"/>.</summary>
    public RefuseMode RefuseConnections
    {
        get { lock (_lock) { return _refuse; } }
        set { lock (_lock) { _refuse = value; } }
    }

    /// <summary>Drop the connection in each of the next <paramref name="count"/> utterances to start.</summary>
    public void DropNextUtterances(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_lock) { _dropNext = count; }
    }

    /// <summary>Never send the terminal message of the next <paramref name="count"/> utterances to start.</summary>
    public void SilenceNextFinals(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_lock) { _silentNext = count; }
    }

    /// <summary>Refuse the next <paramref name="count"/> connections with <paramref name="mode"/>, then accept again.</summary>
    public void RefuseNextConnections(int count, RefuseMode mode)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_lock)
        {
            _refuseNext = count;
            _refuseNextMode = mode;
        }
    }

    /// <summary>Restarts the dice with a new seed.</summary>
    public void Reseed(int seed)
    {
        lock (_lock)
        {
            Seed = seed;
            _random = new Random(seed);
        }
    }

    /// <summary>Clears every fault.</summary>
    public void Reset()
    {
        lock (_lock)
        {
            _dropProbability = 0;
            _silentProbability = 0;
            _dropNext = 0;
            _silentNext = 0;
            _refuseNext = 0;
            _refuse = RefuseMode.None;
            _extraDelay = TimeSpan.Zero;
        }
    }

    internal RefuseMode DecideRefusal()
    {
        lock (_lock)
        {
            if (_refuseNext > 0 && _refuseNextMode != RefuseMode.None)
            {
                _refuseNext--;
                return _refuseNextMode;
            }

            return _refuse;
        }
    }

    internal UtterancePlan PlanUtterance()
    {
        lock (_lock)
        {
            var drop = Take(ref _dropNext) || (_dropProbability > 0 && _random.NextDouble() < _dropProbability);
            var silent = Take(ref _silentNext) || (_silentProbability > 0 && _random.NextDouble() < _silentProbability);
            return new UtterancePlan(drop, silent);
        }
    }

    private static bool Take(ref int count)
    {
        if (count <= 0)
        {
            return false;
        }

        count--;
        return true;
    }

    private static void ValidateProbability(double value)
    {
        if (value is < 0 or > 1 || double.IsNaN(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A probability is between 0 and 1.");
        }
    }
}
