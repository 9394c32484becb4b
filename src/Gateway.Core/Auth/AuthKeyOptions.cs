namespace Gateway.Core.Auth;

/// <summary>One API key (<c>Auth:Keys:N</c>): stored as a hash, never in clear.</summary>
public sealed class AuthKeyOptions
{
    /// <summary>Who the key belongs to; usage and logs name it. Required, unique.</summary>
    public string Name { get; set; } = "";

    /// <summary><c>sha256:</c> and the lower-case hex SHA-256 of the key (<c>printf %s "$KEY" | sha256sum</c>). Required.</summary>
    public string Hash { get; set; } = "";

    /// <summary>What the key may do (<see cref="Auth.Scopes"/>). Required (no default: a bound list would append to it).</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>Live connections at once; 0 = no limit. Default 0.</summary>
    public int MaxSessions { get; set; }

    /// <summary>Minutes of live streaming per UTC day (connection time); 0 = no limit. Default 0.</summary>
    public int StreamMinutesPerDay { get; set; }

    /// <summary>File jobs submitted (<c>POST /api/v1/asr/submit</c>) per sliding hour; 0 = no limit. Default 0.</summary>
    public int JobsPerHour { get; set; }

    /// <summary>Ingests running at once that this key started (<c>POST /v1/ingests</c>); 0 = no limit. Default 0.</summary>
    public int MaxIngests { get; set; }

    /// <summary>Request body bytes (uploads, prerecorded audio) per UTC day; 0 = no limit. Default 0.</summary>
    public long UploadBytesPerDay { get; set; }
}
