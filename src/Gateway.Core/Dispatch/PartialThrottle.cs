using Gateway.Core.Results;

namespace Gateway.Core.Dispatch;

/// <summary>Rate-limits partials so a chatty upstream does not flood a client; sentences always pass.</summary>
internal sealed class PartialThrottle
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly bool _enabled;
    private long _last;

    public PartialThrottle(TimeProvider time, TimeSpan interval, bool enabled)
    {
        _time = time;
        _interval = interval;
        _enabled = enabled;
    }

    /// <summary>True when a partial may go out now.</summary>
    public bool Due()
    {
        if (!_enabled)
        {
            return false;
        }

        var now = _time.GetTimestamp();
        if (_last != 0 && _time.GetElapsedTime(_last, now) < _interval)
        {
            return false;
        }

        _last = now;
        return true;
    }

    /// <summary>A sentence finished: worth showing at once.</summary>
    public bool Sentence()
    {
        if (!_enabled)
        {
            return false;
        }

        _last = _time.GetTimestamp();
        return true;
    }
}
