namespace Gateway.Native.Clients;

/// <summary>The keys of <c>funasr_set_option</c>; funasr.h names each as <c>FUNASR_OPT_*</c>.</summary>
internal static class OptionKeys
{
    /// <summary><c>funasr-2pass</c> (default), <c>funasr-offline</c>, <c>funasr-python</c>.</summary>
    public const string Flavour = "flavour";

    /// <summary><c>offline</c> (default, as the FunASR DLL), <c>2pass</c>, <c>online</c>.</summary>
    public const string Mode = "mode";

    /// <summary>Inverse text normalisation, <c>1</c> (default) or <c>0</c>.</summary>
    public const string Itn = "itn";

    /// <summary>SHA-256 (64 hex) or SHA-1 (40 hex) of the one certificate to trust; empty clears it.</summary>
    public const string TlsPinnedThumbprint = "tls.pinned_thumbprint";

    /// <summary><c>1</c>: trust any certificate (FunASR's bundled self-signed one). Default <c>0</c>.</summary>
    public const string TlsAcceptAny = "tls.accept_any";

    public const string ConnectTimeoutMs = "timeout.connect_ms";

    public const string AcquireTimeoutMs = "timeout.acquire_ms";

    public const string FinalTimeoutMs = "timeout.final_ms";

    public const string UtteranceTimeoutMs = "timeout.utterance_ms";

    public const string IdleProbeAfterMs = "pool.idle_probe_ms";

    public const string ProbeTimeoutMs = "pool.probe_timeout_ms";

    public const string IdleEvictAfterMs = "pool.idle_evict_ms";

    public const string MaxConnections = "pool.max_connections";

    public const string MinIdle = "pool.min_idle";
}
