namespace Gateway.Core.Admission;

/// <summary>Why a session ended. Blame is explicit: client-side reasons are not server faults.</summary>
public enum DisconnectReason
{
    /// <summary>The client asked to close (control message or close frame).</summary>
    ClientClosed,

    /// <summary>The client's connection dropped without a close handshake.</summary>
    ClientAborted,

    /// <summary><see cref="AdmissionOptions.MaxConnectionTime"/> elapsed.</summary>
    MaxConnectionTime,

    /// <summary>No audio for <see cref="AdmissionOptions.IdleTimeout"/>.</summary>
    IdleTimeout,

    /// <summary>The client sent something the protocol does not allow.</summary>
    ProtocolError,

    /// <summary>The client did not read its results fast enough.</summary>
    SlowConsumer,

    /// <summary>The gateway is shutting down.</summary>
    ServerShutdown,

    /// <summary>A fault inside the gateway.</summary>
    InternalError,

    /// <summary>The key (or the key behind the grant) the session was opened with was revoked.</summary>
    KeyRevoked,

    /// <summary>The client's connection dropped and it did not resume within the resume window.</summary>
    ResumeExpired,
}

public static class DisconnectReasonNames
{
    /// <summary>The snake_case name used on the wire and in metrics.</summary>
    public static string Name(this DisconnectReason reason) => reason switch
    {
        DisconnectReason.ClientClosed => "client_closed",
        DisconnectReason.ClientAborted => "client_aborted",
        DisconnectReason.MaxConnectionTime => "max_connection_time",
        DisconnectReason.IdleTimeout => "idle_timeout",
        DisconnectReason.ProtocolError => "protocol_error",
        DisconnectReason.SlowConsumer => "slow_consumer",
        DisconnectReason.ServerShutdown => "server_shutdown",
        DisconnectReason.InternalError => "internal_error",
        DisconnectReason.ResumeExpired => "resume_expired",
        DisconnectReason.KeyRevoked => "key_revoked",
        _ => throw new ArgumentOutOfRangeException(nameof(reason)),
    };
}
