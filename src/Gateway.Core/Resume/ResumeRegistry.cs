using Gateway.Core.Diagnostics;
using Gateway.Core.Sessions;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Resume;

/// <summary>
/// The gateway's resume tokens: which session each live one resumes, and for a while (two resume windows) what a
/// dead one was, so a client is told <c>resume_expired</c> or <c>resume_used</c> rather than a bare "unknown".
/// In-process only: a token never works on another gateway; there it is refused as <c>resume_other_instance</c>, naming the instance (docs/protocol.md §10).
/// </summary>
/// <remarks>Thread-safe; touched once per session start, drop, resume and end, never per frame.</remarks>
public sealed class ResumeRegistry
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _tokens = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly TimeSpan _remember;
    private long _lastSweep;
    private int _detached;

    public ResumeRegistry(IOptions<SessionOptions> options, TimeProvider time, GatewayMetrics metrics, Instance.GatewayInstance instance)
    {
        Instance = instance.Id;
        metrics.ObserveDetachedSessions(() => DetachedCount);
        _time = time;
        Window = options.Value.ResumeWindow;
        _remember = Window * 2;
        _lastSweep = time.GetTimestamp();
    }

    /// <summary>This gateway's instance id; its tokens carry it.</summary>
    public string Instance { get; }

    /// <summary><see cref="SessionOptions.ResumeWindow"/>; zero when resume is off.</summary>
    public TimeSpan Window { get; }

    public bool Enabled => Window > TimeSpan.Zero;

    /// <summary>Sessions detached now, waiting for their client (they still hold an admission slot).</summary>
    public int DetachedCount => Volatile.Read(ref _detached);

    internal string Issue(Session session)
    {
        var token = ResumeToken.New(Instance);
        lock (_gate)
        {
            Sweep();
            _tokens[token] = new Entry(session, TokenState.Live, 0);
        }

        return token;
    }

    /// <summary>The session a token resumes, or what the token stands for when it resumes nothing.</summary>
    internal TokenState Find(string token, out Session? session)
    {
        lock (_gate)
        {
            if (_tokens.TryGetValue(token, out var entry))
            {
                session = entry.State == TokenState.Live ? entry.Session : null;
                return entry.State;
            }
        }

        session = null;
        return ResumeToken.Issuer(token) is { } issuer && issuer != Instance && Gateway.Core.Instance.GatewayInstance.IsValid(issuer) ? TokenState.OtherInstance : TokenState.Unknown;
    }

    /// <summary>The token no longer resumes its session; it is remembered as <paramref name="state"/> for a while.</summary>
    internal void Retire(string token, TokenState state)
    {
        lock (_gate)
        {
            _tokens[token] = new Entry(null, state, _time.GetTimestamp());
        }
    }

    internal void Detached() => Interlocked.Increment(ref _detached);

    internal void Reattached() => Interlocked.Decrement(ref _detached);

    /// <summary>Forgets dead tokens older than two windows, at most once a second (O(tokens), under the lock).</summary>
    private void Sweep()
    {
        var now = _time.GetTimestamp();
        if (_time.GetElapsedTime(_lastSweep, now) < TimeSpan.FromSeconds(1))
        {
            return;
        }

        _lastSweep = now;
        List<string>? forget = null;
        foreach (var (token, entry) in _tokens)
        {
            if (entry.State == TokenState.Live ? entry.Session!.IsFinished : _time.GetElapsedTime(entry.RetiredAt, now) > _remember)
            {
                (forget ??= []).Add(token);
            }
        }

        forget?.ForEach(t => _tokens.Remove(t));
    }

    private readonly record struct Entry(Session? Session, TokenState State, long RetiredAt);
}
