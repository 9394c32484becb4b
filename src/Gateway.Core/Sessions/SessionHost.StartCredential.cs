using System.Net.WebSockets;
using Gateway.Core.Auth;
using Gateway.Core.Protocols;

namespace Gateway.Core.Sessions;

public sealed partial class SessionHost
{
    /// <summary>
    /// A native connection that came without a credential (<see cref="DeferredAuth"/>): its first message is read
    /// (bounded in size and time) and must carry the credential (<see cref="StartMessageAuth"/>); refused, the client
    /// gets an error and close 4401/4403/4429; accepted, the session runs with that message as its start, counted
    /// against the key until it ends.
    /// </summary>
    public async Task RunWithStartCredentialAsync(WebSocket socket, ISessionProtocol protocol, StartResult initial, StartMessageAuth auth, string scope, CancellationToken aborted)
    {
        var first = await FirstMessage.ReadAsync(socket, _services.Options.MaxMessageBytes, _services.Admission.IdleTimeout, _services.Time, aborted);
        if (first.Status == FirstMessageStatus.Closed)
        {
            return;
        }

        var (session, error) = await auth.CheckAsync(first, scope);
        if (error is not null)
        {
            await RejectAsync(socket, protocol, error);
            return;
        }

        using (session)
        {
            await RunAsync(socket, protocol, initial, aborted, first, session!.Access);
        }
    }
}
