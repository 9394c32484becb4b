using System.Collections.Concurrent;
using Gateway.Native.Errors;
using Gateway.Upstream;
using Microsoft.Extensions.Options;

namespace Gateway.Native.Clients;

/// <summary>
/// The library's state between <c>funasr_init</c> and <c>funasr_cleanup</c>: one <see cref="UpstreamClient"/> (one
/// pool) per URL, created at the URL's first use with the settings current then, and the C API's counters.
/// Like the FunASR DLL, a request without <c>funasr_init</c> initialises the library itself.
/// </summary>
/// <remarks>
/// Thread-safe. Lookups of a known URL are lock-free (ConcurrentDictionary reads); creating a pool and
/// cleanup take <see cref="_gate"/>, so no pool can be created on a registry that cleanup is disposing.
/// </remarks>
internal sealed class ClientRegistry
{
    private static readonly Lock s_lifecycle = new();
    private static volatile ClientRegistry? s_current;
    private static volatile NativeSettings s_settings = NativeSettings.Default;

    private readonly ConcurrentDictionary<string, UrlPool> _pools = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private bool _disposed;

    /// <summary>The live registry, or null before init and after cleanup.</summary>
    public static ClientRegistry? Current => s_current;

    /// <summary>The live registry, initialising the library when needed.</summary>
    public static ClientRegistry Acquire()
    {
        var current = s_current;
        if (current is not null)
        {
            return current;
        }

        Init();
        return s_current ?? Acquire();
    }

    public NativeCounters Counters { get; } = new();

    public IEnumerable<UpstreamClient> Clients => _pools.Values.Select(p => p.Client);

    /// <summary>Idempotent: a second init keeps the pools.</summary>
    public static void Init()
    {
        lock (s_lifecycle)
        {
            s_current ??= new ClientRegistry();
        }
    }

    /// <summary>Closes every pool; calls still running end with <see cref="FunAsrStatus.ShutDown"/>. Settings are kept.</summary>
    public static void Cleanup()
    {
        ClientRegistry? registry;
        lock (s_lifecycle)
        {
            registry = s_current;
            s_current = null;
        }

        registry?.DisposeAll();
    }

    public static bool SetOption(string key, string value)
    {
        lock (s_lifecycle)
        {
            if (s_settings.With(key, value) is not { } next)
            {
                return false;
            }

            s_settings = next;
            return true;
        }
    }

    /// <summary>The pool for <paramref name="url"/>, created at first use with the settings current then.</summary>
    public FunAsrStatus TryGet(string url, out UrlPool? pool)
    {
        pool = null;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("ws" or "wss") || uri.Host.Length == 0)
        {
            return FunAsrStatus.BadUrl;
        }

        var key = uri.AbsoluteUri;
        if (_pools.TryGetValue(key, out pool))
        {
            return FunAsrStatus.Ok;
        }

        lock (_gate)
        {
            if (_disposed)
            {
                return FunAsrStatus.ShutDown;
            }

            if (_pools.TryGetValue(key, out pool))
            {
                return FunAsrStatus.Ok;
            }

            var settings = s_settings;
            try
            {
                pool = new UrlPool(new UpstreamClient(settings.ToOptions(uri)), settings);
            }
            catch (OptionsValidationException)
            {
                // e.g. a URL the validator refuses; the settings themselves were validated when set.
                return FunAsrStatus.BadUrl;
            }

            _pools[key] = pool;
            return FunAsrStatus.Ok;
        }
    }

    private void DisposeAll()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        // Nothing can be added any more; every pool closes at once.
        Task.WhenAll(_pools.Values.Select(p => p.Client.DisposeAsync().AsTask())).GetAwaiter().GetResult();
        _pools.Clear();
    }
}
