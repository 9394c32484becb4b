using System.Net.WebSockets;

namespace Gateway.Core.Sessions;

/// <summary>
/// One client connection carrying a session: its socket, its receive and send loops, and a token that stops both.
/// A session has one at a time; a resume replaces a dropped (or still attached) one with a new one.
/// </summary>
internal sealed class SessionConnection : IDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SessionConnection(WebSocket socket, CancellationToken aborted)
    {
        Socket = socket;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(aborted);
    }

    public WebSocket Socket { get; }

    /// <summary>Cancelled when the connection aborts or the connection is told to leave.</summary>
    public CancellationToken Token => _stop.Token;

    public Task Sending { get; set; } = Task.CompletedTask;

    /// <summary>The connection dropped and the session detached from it (rather than ending).</summary>
    public bool Detached { get; set; }

    /// <summary>Completes once both loops have stopped: nothing of this connection touches the session any more.</summary>
    public Task Done => _done.Task;

    /// <summary>Stops the loops (a resume takes over, or the session detached).</summary>
    public void Leave()
    {
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already gone.
        }
    }

    public void Finished() => _done.TrySetResult();

    public void Dispose() => _stop.Dispose();
}
