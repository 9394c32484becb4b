namespace Gateway.Core.Admission;

/// <summary>Who gets in and for how long. Section <c>Admission</c>.</summary>
public sealed class AdmissionOptions
{
    public const string Section = "Admission";

    /// <summary>Concurrent sessions across every endpoint. Default 100.</summary>
    public int MaxClients { get; set; } = 100;

    /// <summary>A session is disconnected this long after admission, audio or not. Default 10 minutes.</summary>
    public TimeSpan MaxConnectionTime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A session that sends no audio for this long is closed. Default 30 seconds.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
