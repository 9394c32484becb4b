using Gateway.Load.Report;

namespace Gateway.Load.Resume;

/// <summary>What the resets did across every stream: how many, how many resumed and how fast, and why the rest failed.</summary>
/// <remarks>Thread-safe; touched once per reset and resume.</remarks>
internal sealed class ResumeStats
{
    private readonly Lock _gate = new();
    private readonly List<double> _resumeMs = [];
    private readonly Dictionary<string, int> _failures = new(StringComparer.Ordinal);
    private int _resets;

    public void Reset() => Interlocked.Increment(ref _resets);

    public void Resumed(double ms)
    {
        lock (_gate)
        {
            _resumeMs.Add(ms);
        }
    }

    public void Failed(string why)
    {
        lock (_gate)
        {
            _failures[why] = _failures.GetValueOrDefault(why) + 1;
        }
    }

    public ResumeReport Report(int duplicatedFinals)
    {
        lock (_gate)
        {
            return new ResumeReport
            {
                Resets = Volatile.Read(ref _resets),
                Resumed = _resumeMs.Count,
                Failures = new Dictionary<string, int>(_failures),
                ResumeMs = Percentiles.Of(_resumeMs),
                DuplicatedFinals = duplicatedFinals,
            };
        }
    }
}
