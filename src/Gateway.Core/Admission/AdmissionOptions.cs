namespace Gateway.Core.Admission;

/// <summary>Who gets in and for how long. Section <c>Admission</c>.</summary>
public sealed class AdmissionOptions
{
    public const string Section = "Admission";

    /// <summary>Concurrent sessions across every endpoint (of this gateway, or of the fleet with <see cref="Scope"/> Fleet). Default 100.</summary>
    public int MaxClients { get; set; } = 100;

    /// <summary>A session is disconnected this long after admission, audio or not. Default 10 minutes.</summary>
    public TimeSpan MaxConnectionTime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A session that sends no audio for this long is closed. Default 30 seconds.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Where <see cref="MaxClients"/> and each key's <c>MaxSessions</c> and <c>MaxIngests</c> hold: this process
    /// (<see cref="AdmissionScope.Local"/>, default) or every gateway on one Redis (<see cref="AdmissionScope.Fleet"/>,
    /// requires <c>Redis:Configuration</c>; slots are leases renewed every third of <c>Redis:InstanceLease</c>).
    /// </summary>
    public AdmissionScope Scope { get; set; } = AdmissionScope.Local;
}
