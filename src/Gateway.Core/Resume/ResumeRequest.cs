namespace Gateway.Core.Resume;

/// <summary>
/// A reconnect: <c>/v1/stream?resume=TOKEN&amp;offset=N&amp;finals=C</c>. <paramref name="Offset"/> is the input sample
/// frame the client will resend from (at most the server's last <c>ack</c>); <paramref name="Finals"/> is how many final
/// (and segment error) messages it has received in the session, so the server replays exactly the rest.
/// </summary>
public readonly record struct ResumeRequest(string Token, long Offset, long Finals);
