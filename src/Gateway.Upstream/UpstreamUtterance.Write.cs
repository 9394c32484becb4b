using System.Runtime.CompilerServices;
using Gateway.Upstream.Diagnostics;
using Gateway.Upstream.WebSockets;

namespace Gateway.Upstream;

public sealed partial class UpstreamUtterance
{
    private bool _finishing;
    private long _finishTimestamp;

    /// <summary>
    /// Sends PCM16LE mono audio (16 kHz unless the endpoint says otherwise) as one binary frame. The bytes are copied
    /// (and masked) into the connection's send buffer before this returns its first await, so the caller may reuse
    /// its buffer once the returned task completes. Returns the failure, if any; nothing is allocated per call.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<UpstreamError> PushAudioAsync(ReadOnlyMemory<byte> pcm)
    {
        if (_finishing)
        {
            throw new InvalidOperationException("PushAudioAsync after FinishAsync.");
        }

        var error = Error;
        if (error != UpstreamError.None || pcm.IsEmpty)
        {
            return error;
        }

        var start = _metrics.Timestamp();
        try
        {
            await _connection.Socket.SendAsync(WebSocketOpcode.Binary, pcm, flush: true, _token).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsConnectionFailure(ex))
        {
            return Fail(Classify(ex));
        }

        _metrics.Phase(UpstreamPhase.SendAudio, start);
        return UpstreamError.None;
    }

    /// <summary>
    /// Ends the input: <paramref name="lastAudio"/> (optional) and the end-of-speech message leave in one write.
    /// From here the terminal message must arrive within FinalTimeout.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<UpstreamError> FinishAsync(ReadOnlyMemory<byte> lastAudio = default)
    {
        if (_finishing)
        {
            throw new InvalidOperationException("FinishAsync was already called.");
        }

        _finishing = true;
        var error = Error;
        if (error != UpstreamError.None)
        {
            return error;
        }

        var start = _metrics.Timestamp();
        _finishTimestamp = start;
        try
        {
            _cts.CancelAfter(_options.FinalTimeout);
            if (!lastAudio.IsEmpty)
            {
                await _connection.Socket.SendAsync(WebSocketOpcode.Binary, lastAudio, flush: false, _token).ConfigureAwait(false);
            }

            await _connection.Socket.SendAsync(WebSocketOpcode.Text, _config.EndOfSpeech, flush: true, _token).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsConnectionFailure(ex))
        {
            return Fail(Classify(ex));
        }

        _metrics.Phase(UpstreamPhase.SendEnd, start);
        Complete(FinishedWriting);
        return Error;
    }
}
