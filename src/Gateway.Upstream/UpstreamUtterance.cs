using System.Net.Sockets;
using System.Text;
using Gateway.Upstream.Diagnostics;
using Gateway.Upstream.Pooling;
using Gateway.Upstream.Protocol;
using Gateway.Upstream.WebSockets;

namespace Gateway.Upstream;

/// <summary>
/// One utterance on one leased upstream connection: push audio as it arrives, finish, and read the result stream
/// until its terminal event. Dispose to end the lease (the connection returns to the pool only after a clean terminal).
/// </summary>
/// <remarks>
/// Threading: one writer (<see cref="PushAudioAsync"/> then <see cref="FinishAsync"/>) and one reader
/// (<see cref="ReadAsync"/>) may run concurrently; neither side may be called concurrently with itself.
/// Errors are returned, not thrown: a failed push or read reports an <see cref="UpstreamError"/>, and
/// <see cref="UpstreamResult.MustReplay"/> tells the caller to replay the utterance on a new lease.
/// </remarks>
public sealed partial class UpstreamUtterance : IAsyncDisposable
{
    private const int FinishedWriting = 1;
    private const int ReadTerminal = 2;

    private readonly EndpointPool _pool;
    private readonly PooledConnection _connection;
    private readonly FunAsrConfigMessages _config;
    private readonly UpstreamMetrics _metrics;
    private readonly UpstreamOptions _options;
    private readonly TimeProvider _time;
    private readonly byte[] _wavName;
    private readonly CancellationTokenSource _cts;
    private readonly CancellationToken _token;
    private readonly CancellationTokenRegistration _callerRegistration;
    private readonly long _startTimestamp;
    private int _done;
    private int _released;
    private int _error;
    private volatile bool _callerCancelled;

    internal UpstreamUtterance(
        EndpointPool pool, PooledConnection connection, FunAsrConfigMessages config, string wavName,
        UpstreamMetrics metrics, UpstreamOptions options, TimeProvider time, long startTimestamp, CancellationToken cancellationToken)
    {
        _pool = pool;
        _connection = connection;
        _config = config;
        _metrics = metrics;
        _options = options;
        _time = time;
        WavName = wavName;
        _wavName = Encoding.ASCII.GetBytes(wavName);
        _startTimestamp = startTimestamp;
        // Every wait of this utterance is bounded: MaxUtteranceDuration until the end of input, FinalTimeout after it.
        _cts = new CancellationTokenSource(options.MaxUtteranceDuration, time);
        _token = _cts.Token;
        if (cancellationToken.CanBeCanceled)
        {
            _callerRegistration = cancellationToken.UnsafeRegister(static s =>
            {
                var u = (UpstreamUtterance)s!;
                u._callerCancelled = true;
                u._cts.Cancel();
            }, this);
        }
    }

    /// <summary>The wav_name sent upstream, unique per utterance; every reply must echo it.</summary>
    public string WavName { get; }

    /// <summary>The endpoint serving this utterance.</summary>
    public string Endpoint => _pool.Name;

    /// <summary>The failure, once one happened; <see cref="UpstreamError.None"/> otherwise.</summary>
    public UpstreamError Error => (UpstreamError)Volatile.Read(ref _error);

    /// <summary>Ends the lease. Before a clean terminal this abandons the utterance and the connection is closed.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref _done) != (FinishedWriting | ReadTerminal) && Error == UpstreamError.None)
        {
            Fail(UpstreamError.Cancelled);
        }

        Release(reusable: false);
        await _callerRegistration.DisposeAsync().ConfigureAwait(false);
        _cts.Dispose();
    }

    /// <summary>Frames the start config into the send buffer; it leaves with the first audio (one write, not two).</summary>
    internal async ValueTask<UpstreamError> StartAsync()
    {
        var start = _metrics.Timestamp();
        var scratch = _connection.Scratch(_config.MaxStartLength(_wavName.Length));
        var n = _config.WriteStart(scratch, _wavName);
        if (!_connection.Socket.TryAppend(WebSocketOpcode.Text, scratch.AsSpan(0, n)))
        {
            try
            {
                await _connection.Socket.SendAsync(WebSocketOpcode.Text, scratch.AsMemory(0, n), flush: true, _token).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsConnectionFailure(ex))
            {
                return Fail(Classify(ex));
            }
        }

        _metrics.Phase(UpstreamPhase.SendConfig, start);
        return UpstreamError.None;
    }

    /// <summary>Records the first failure (later ones lose), blames the endpoint when due, and discards the connection.</summary>
    private UpstreamError Fail(UpstreamError error)
    {
        if (Interlocked.CompareExchange(ref _error, (int)error, 0) != 0)
        {
            return Error;
        }

        _metrics.Failed(error);
        if (error.BlamesUpstream())
        {
            _pool.ReportFailure(error);
        }

        if (error == UpstreamError.ResultTimeout && _finishing && _finishTimestamp != 0)
        {
            _pool.ReportFinalLatency(_connection.LeasedTimestamp, _time.GetElapsedTime(_finishTimestamp));
        }

        // Wakes the other side (a pending read or write) so it sees the failure too.
        Release(reusable: false);
        return error;
    }

    private void Complete(int flag)
    {
        if ((Interlocked.Or(ref _done, flag) | flag) == (FinishedWriting | ReadTerminal) && Error == UpstreamError.None)
        {
            _pool.ReportSuccess();
            Release(reusable: true);
        }
    }

    private void Release(bool reusable)
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _pool.Release(_connection, reusable);
        }
    }

    private UpstreamError Classify(Exception ex) => ex switch
    {
        OperationCanceledException when _callerCancelled => UpstreamError.Cancelled,
        OperationCanceledException => UpstreamError.ResultTimeout,
        WebSocketProtocolException => UpstreamError.ProtocolViolation,
        _ => UpstreamError.ConnectionLost,
    };

    private static bool IsConnectionFailure(Exception ex) =>
        ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException or WebSocketProtocolException or InvalidOperationException;
}
