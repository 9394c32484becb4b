using System.Collections.Concurrent;

namespace Gateway.Core.Auth;

/// <summary>
/// The live connections each key (directly or through its grants) holds open, so that revoking the key ends them.
/// Each registration carries a token that is cancelled when its key is revoked: a session listens on it and ends
/// with <c>key_revoked</c> (docs/security.md); a connection nobody claimed is aborted by the middleware.
/// Thread-safe singleton.
/// </summary>
public sealed class KeyRevocations
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<long, CancellationTokenSource>> _live = new(StringComparer.Ordinal);
    private long _next;

    public KeyRevocations(ApiKeys keys) => keys.Revoked += EndAll;

    /// <summary>Live connections of <paramref name="keyName"/> now.</summary>
    public int Count(string keyName) => _live.TryGetValue(keyName, out var live) ? live.Count : 0;

    /// <summary>Registers one connection of <paramref name="keyName"/>; dispose the result when it ends.</summary>
    public Registration Register(string keyName)
    {
        var source = new CancellationTokenSource();
        var id = Interlocked.Increment(ref _next);
        _live.GetOrAdd(keyName, _ => new ConcurrentDictionary<long, CancellationTokenSource>())[id] = source;
        return new Registration(this, keyName, id, source);
    }

    private void EndAll(string keyName)
    {
        if (!_live.TryGetValue(keyName, out var live))
        {
            return;
        }

        foreach (var source in live.Values)
        {
            try
            {
                source.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Ended meanwhile.
            }
        }
    }

    private void Remove(string keyName, long id)
    {
        if (_live.TryGetValue(keyName, out var live) && live.TryRemove(id, out var source))
        {
            source.Dispose();
        }
    }

    /// <summary>One live connection's registration: <see cref="Revoked"/> is cancelled when its key is revoked.</summary>
    public sealed class Registration : IDisposable
    {
        private readonly KeyRevocations _owner;
        private readonly string _keyName;
        private readonly long _id;

        internal Registration(KeyRevocations owner, string keyName, long id, CancellationTokenSource source)
        {
            _owner = owner;
            _keyName = keyName;
            _id = id;
            Revoked = source.Token;
        }

        public CancellationToken Revoked { get; }

        public void Dispose() => _owner.Remove(_keyName, _id);
    }
}
