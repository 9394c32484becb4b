namespace Gateway.Core.Auth;

/// <summary>What a key or grant may do. Wire names are these constants (docs/security.md).</summary>
public static class Scopes
{
    /// <summary>Live streaming on every WebSocket endpoint, and prerecorded <c>POST /v1/listen</c>.</summary>
    public const string Stream = "stream";

    /// <summary>File jobs (<c>/api/v1/asr/...</c>).</summary>
    public const string Jobs = "jobs";

    /// <summary>Ingests (server-side pulls of a stream URL).</summary>
    public const string Ingest = "ingest";

    /// <summary>Watching a room's captions.</summary>
    public const string RoomsView = "rooms-view";

    /// <summary>Usage of every key, the API reference, and any endpoint not annotated with a scope.</summary>
    public const string Admin = "admin";

    /// <summary><c>/metrics</c> (unless <c>Auth:MetricsOpen</c>).</summary>
    public const string Metrics = "metrics";

    /// <summary>Not a scope: an endpoint that takes any valid key or grant (<c>POST /v1/auth/grant</c>).</summary>
    public const string AnyCaller = "*";

    public static readonly IReadOnlyList<string> All = [Stream, Jobs, Ingest, RoomsView, Admin, Metrics];
}
