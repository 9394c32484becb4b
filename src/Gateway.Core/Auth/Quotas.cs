using System.Collections.Concurrent;

namespace Gateway.Core.Auth;

/// <summary>Usage per key name (grants count against the key that issued them). Thread-safe singleton.</summary>
public sealed class Quotas
{
    private readonly ConcurrentDictionary<string, KeyUsage> _usage = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public Quotas(TimeProvider time) => _time = time;

    public DateOnly Today => DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);

    /// <summary>Until the daily counters reset (the next UTC midnight): the <c>Retry-After</c> of a daily limit.</summary>
    public TimeSpan UntilReset
    {
        get
        {
            var now = _time.GetUtcNow();
            return new DateTimeOffset(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero) - now;
        }
    }

    public KeyUsage For(string keyName) => _usage.GetOrAdd(keyName, _ => new KeyUsage());

    public IEnumerable<KeyValuePair<string, KeyUsage>> All => _usage.OrderBy(u => u.Key, StringComparer.Ordinal);
}
