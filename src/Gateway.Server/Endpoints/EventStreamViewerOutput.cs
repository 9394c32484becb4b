using Gateway.Core.Rooms;

namespace Gateway.Server.Endpoints;

/// <summary>
/// A room viewer on Server-Sent Events (text/event-stream). Writes go into Kestrel's response pipe, which stops
/// accepting beyond its buffer limit, so a viewer that does not read fills its own queue and is dropped.
/// </summary>
internal sealed class EventStreamViewerOutput(HttpContext context) : IRoomViewerOutput
{
    private static readonly byte[] KeepAlive = ": keep-alive\n\n"u8.ToArray();

    public bool IsEventStream => true;

    public ValueTask WriteAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken) =>
        context.Response.Body.WriteAsync(message, cancellationToken);

    public ValueTask FlushAsync(CancellationToken cancellationToken) => new(context.Response.Body.FlushAsync(cancellationToken));

    public ValueTask HeartbeatAsync(CancellationToken cancellationToken) => context.Response.Body.WriteAsync(KeepAlive, cancellationToken);

    public async Task FailAsync(ReadOnlyMemory<byte> error, int closeCode, string reason, CancellationToken cancellationToken)
    {
        try
        {
            await context.Response.Body.WriteAsync(error, cancellationToken);
            await context.Response.Body.FlushAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The stream is stuck or gone: abort below.
        }

        // End the connection, not just the response: a client that never reads must not hold its buffers.
        context.Abort();
    }
}
