namespace Gateway.Cli;

/// <summary>Process exit codes; documented in docs/clients.md, so scripts can tell the outcomes apart.</summary>
public static class ExitCodes
{
    /// <summary>The audio was transcribed (or the user stopped it) and the outputs were written.</summary>
    public const int Ok = 0;

    /// <summary>Unexpected failure in the client itself.</summary>
    public const int Internal = 1;

    /// <summary>Invalid command line.</summary>
    public const int Usage = 2;

    /// <summary>The server is full (<c>wait</c>, close 1013); reconnect later.</summary>
    public const int Wait = 3;

    /// <summary>The server reported a fatal <c>error</c> or closed the session abnormally.</summary>
    public const int Error = 4;

    /// <summary>The server ended the session (<c>disconnect</c>: maximum connection time, idle, shutdown) or the connection was lost.</summary>
    public const int Disconnect = 5;

    /// <summary>The gateway could not be reached (connection refused, DNS, HTTP error at the upgrade).</summary>
    public const int CannotConnect = 6;

    /// <summary>ffmpeg could not be started, or it failed to read or decode the input (no capture device, bad URL, bad file).</summary>
    public const int Ffmpeg = 7;

    /// <summary>The connection was lost and the session could not be resumed: the resume window passed, or the gateway refused the resume (<c>resume_*</c>).</summary>
    public const int ResumeFailed = 8;
}
