using System.Net.WebSockets;
using Gateway.Core.Admission;
using Gateway.Core.Jobs;
using Gateway.Core.Sessions;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Protocols.Deepgram;

/// <summary>
/// Runs an accepted <c>/v1/listen</c> socket: a plain stream (raw audio, one channel or mixed to mono) is one
/// session straight on the socket, with nothing in between; containerised or multichannel audio goes through
/// <see cref="DeepgramStreams"/>, one session per stream.
/// </summary>
public sealed class DeepgramSessions
{
    private readonly SessionHost _host;
    private readonly ClientManager _clients;
    private readonly SessionProtocols _protocols;
    private readonly SessionOptions _sessions;
    private readonly string _ffmpegPath;

    public DeepgramSessions(SessionHost host, ClientManager clients, SessionProtocols protocols, IOptions<SessionOptions> sessions, IOptions<JobsOptions> jobs)
    {
        _clients = clients;
        _host = host;
        _protocols = protocols;
        _sessions = sessions.Value;
        _ffmpegPath = jobs.Value.FfmpegPath;
    }

    /// <summary>Reserves a slot per stream before the upgrade (all or none): refused, the endpoint answers 429.</summary>
    public ValueTask<DeepgramAdmission> AdmitAsync(DeepgramListen listen) => DeepgramAdmission.ReserveAsync(_clients, listen.Streams);

    /// <param name="admission">The slots reserved by <see cref="AdmitAsync"/>, one per stream.</param>
    public async Task RunAsync(WebSocket socket, DeepgramListen listen, DeepgramAdmission admission, CancellationToken aborted, Auth.SessionAccess? access = null)
    {
        var start = new StartResult(listen.Settings, null);
        if (!listen.Containerised && !listen.Multichannel)
        {
            await _host.RunAdmittedAsync(socket, _protocols.Deepgram(listen, 0), start, admission.Leases[0], aborted, access);
            return;
        }

        await using var streams = new DeepgramStreams(socket, listen, _sessions.MaxMessageBytes, _ffmpegPath);
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var pump = streams.RunAsync(reading.Token);
        var sessions = new Task[streams.Streams.Count];
        for (var i = 0; i < sessions.Length; i++)
        {
            sessions[i] = _host.RunAdmittedAsync(streams.Streams[i], _protocols.Deepgram(listen, i), start, admission.Leases[i], aborted, access);
        }

        await Task.WhenAll(sessions);

        // Every stream has closed the real socket; the client's close frame ends the reader, or the grace does.
        reading.CancelAfter(_sessions.CloseGrace);
        await pump;
    }
}
