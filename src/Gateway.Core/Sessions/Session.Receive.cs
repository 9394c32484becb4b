using System.Buffers;
using System.Net.WebSockets;
using Gateway.Core.Admission;
using Gateway.Core.Protocols;

namespace Gateway.Core.Sessions;

public sealed partial class Session
{
    private const int ReceiveChunkBytes = 16 * 1024;

    private long _lastAudio;
    private long _reportedDrops;
    private long _lastOverflowReport;
    private int _waitingOnGateway; // > 0 while the session waits for its own results or for room: not idleness
    private byte[]? _text;
    private int _textLength;

    private async Task ReceiveLoopAsync(SessionConnection connection)
    {
        var socket = connection.Socket;
        var aborted = connection.Token;
        long messageBytes = 0;
        try
        {
            while (true)
            {
                // PERF: between messages, a zero-byte read first, so an idle session holds no receive buffer;
                // one is rented only once data is waiting and returned right after (as YARP's StreamCopier does).
                if (messageBytes == 0)
                {
                    var peek = await socket.ReceiveAsync(Memory<byte>.Empty, aborted);
                    if (peek.MessageType == WebSocketMessageType.Close)
                    {
                        OnClientClose();
                        return;
                    }
                }

                var buffer = ArrayPool<byte>.Shared.Rent(ReceiveChunkBytes);
                try
                {
                    var result = await socket.ReceiveAsync(buffer.AsMemory(), aborted);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        OnClientClose();
                        return;
                    }

                    var first = messageBytes == 0;
                    var size = messageBytes + result.Count;
                    messageBytes = result.EndOfMessage ? 0 : size;

                    if (!_state.TakesAudio)
                    {
                        continue; // input after a close decision is read (to reach the close frame) but not used
                    }

                    if (size > _options.MaxMessageBytes)
                    {
                        Fail(new ClientError(
                            ErrorCodes.MessageTooBig,
                            $"message exceeds the limit of {_options.MaxMessageBytes} bytes",
                            CloseCodes.MessageTooBig));
                        continue;
                    }

                    var data = buffer.AsSpan(0, result.Count);
                    if (result.MessageType == WebSocketMessageType.Binary)
                    {
                        if (first && result.EndOfMessage && _protocol.ClassifyBinary(data) is var kind && kind != ControlKind.None)
                        {
                            await OnControlAsync(kind, aborted);
                        }
                        else
                        {
                            await OnAudioAsync(buffer.AsMemory(0, result.Count), aborted);
                        }
                    }
                    else if (AppendText(data, result.EndOfMessage) is { } text)
                    {
                        await OnTextAsync(text, aborted);
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        finally
        {
            if (_text is not null)
            {
                ArrayPool<byte>.Shared.Return(_text);
                _text = null;
            }
        }
    }

    /// <summary>A first message the endpoint read before the session existed, handled as if just received.</summary>
    private async Task OnFirstMessageAsync(FirstMessageResult first, CancellationToken aborted)
    {
        if (first.Type == WebSocketMessageType.Text)
        {
            await OnTextAsync(first.Message, aborted);
        }
        else if (_protocol.ClassifyBinary(first.Message.Span) is var kind && kind != ControlKind.None)
        {
            await OnControlAsync(kind, aborted);
        }
        else
        {
            await OnAudioAsync(first.Message, aborted);
        }
    }

    /// <summary>
    /// Audio, in slices no larger than a receive chunk. PERF/robustness: when the ring has no room, the receive loop
    /// stops reading (TCP then slows the sender) until VAD and the dispatcher free space, for at most
    /// <see cref="SessionOptions.BackpressureTimeout"/>; only then is audio dropped and reported. A file sent faster
    /// than real time is paced by the gateway's processing instead of losing audio. Real-time clients never wait.
    /// </summary>
    private async ValueTask OnAudioAsync(ReadOnlyMemory<byte> data, CancellationToken aborted)
    {
        if (!Started && !await StartAsync(_settings)) // audio first: the query string (or defaults) configures the session
        {
            return;
        }

        while (!data.IsEmpty)
        {
            var slice = data[..Math.Min(data.Length, ReceiveChunkBytes)];
            data = data[slice.Length..];
            if (Started && _audio!.Free < _decoder!.MaxSamples(slice.Length))
            {
                await WaitForRoomAsync(slice.Length, aborted);
            }

            OnAudio(slice.Span);
        }
    }

    /// <summary>Waits on the space-freed signal (no poll) for at most <see cref="SessionOptions.BackpressureTimeout"/>.</summary>
    private async Task WaitForRoomAsync(int bytes, CancellationToken aborted)
    {
        var time = _services.Time;
        Interlocked.Increment(ref _waitingOnGateway);
        using var expiry = new CancellationTokenSource(_options.BackpressureTimeout, time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(aborted, expiry.Token);
        try
        {
            await _audio!.WaitForRoomAsync(_decoder!.MaxSamples(bytes), () => !_state.TakesAudio, timeout.Token);
        }
        catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
        {
            // Still no room: the frame is written anyway and what does not fit is dropped and reported as overflow.
        }
        finally
        {
            // Stamped before the wait stops counting (OnDeadline reads them in the other order).
            Volatile.Write(ref _lastAudio, time.GetTimestamp());
            Interlocked.Decrement(ref _waitingOnGateway);
        }
    }

    private void OnAudio(ReadOnlySpan<byte> data)
    {
        // Under the input lock: once a shutdown has moved the session to Closing, no audio reaches the ring that its drain would miss.
        lock (_input)
        {
            if (!_state.TakesAudio || !Started)
            {
                return;
            }

            var skip = _protocol.NonAudioPrefix(data);
            if (_resendBytes > 0)
            {
                // A resumed client resends from its last ack: the part the ring already has is skipped, not transcribed twice.
                var overlap = (int)Math.Min(_resendBytes, data.Length - skip);
                _resendBytes -= overlap;
                skip += overlap;
            }

            _decoder!.Write(skip == 0 ? data : data[skip..]);
            _audio!.OnWritten();
            Volatile.Write(ref _lastAudio, _services.Time.GetTimestamp());
            if (_decoder.DroppedSamples != _reportedDrops)
            {
                ReportOverflow();
            }
        }
    }

    private void ReportOverflow()
    {
        var now = _services.Time.GetTimestamp();
        if (_lastOverflowReport != 0 && _services.Time.GetElapsedTime(_lastOverflowReport, now) < _options.OverflowReportInterval)
        {
            return;
        }

        var total = _decoder!.DroppedSamples;
        var dropped = total - _reportedDrops;
        _reportedDrops = total;
        _lastOverflowReport = now;
        Metrics.SessionError(ErrorCodes.AudioOverflow);
        Log.Overflow(_logger, Id, dropped / 16, total / 16);
        Emit(new OverflowEvent(dropped, total));
    }

    /// <summary>Accumulates a text message; returns it once complete. The buffer is pooled and bounded by MaxMessageBytes.</summary>
    private ReadOnlyMemory<byte>? AppendText(ReadOnlySpan<byte> chunk, bool endOfMessage)
    {
        var needed = _textLength + chunk.Length;
        if (_text is null || _text.Length < needed)
        {
            var grown = ArrayPool<byte>.Shared.Rent(Math.Max(needed, 1024));
            if (_text is not null)
            {
                _text.AsSpan(0, _textLength).CopyTo(grown);
                ArrayPool<byte>.Shared.Return(_text);
            }

            _text = grown;
        }

        chunk.CopyTo(_text.AsSpan(_textLength));
        _textLength = needed;
        if (!endOfMessage)
        {
            return null;
        }

        var message = _text.AsMemory(0, _textLength);
        _textLength = 0;
        return message;
    }

    private async Task OnTextAsync(ReadOnlyMemory<byte> text, CancellationToken aborted)
    {
        if (!Started)
        {
            var start = _protocol.ParseStart(text.Span, _settings);
            if (start.Error is { } error)
            {
                Fail(error);
                return;
            }

            await StartAsync(start.Settings!);
            if (start.Then != ControlKind.None)
            {
                await OnControlAsync(start.Then, aborted);
            }

            return;
        }

        var control = _protocol.ParseControl(text.Span);
        if (control.Error is { } controlError)
        {
            Fail(controlError);
            return;
        }

        await OnControlAsync(control.Kind, aborted);
    }

    private async Task OnControlAsync(ControlKind kind, CancellationToken aborted)
    {
        if (!Started && !await StartAsync(_settings))
        {
            return;
        }

        switch (kind)
        {
            case ControlKind.Finalize:
                await FinalizeAsync(aborted);
                break;
            case ControlKind.Close:
                await CloseGracefullyAsync(aborted);
                break;
            case ControlKind.KeepAlive:
                Volatile.Write(ref _lastAudio, _services.Time.GetTimestamp());
                break;
        }
    }

    /// <summary>The client's <c>finalize</c>: end the current speech, deliver its results, then say so.</summary>
    private async Task FinalizeAsync(CancellationToken aborted)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        bound.CancelAfter(_options.DrainTimeout);
        await _control.WaitAsync(aborted); // one pipeline operation at a time (a shutdown drain may hold it)
        Interlocked.Increment(ref _waitingOnGateway);
        try
        {
            await _pipeline!.FinalizeAsync(bound.Token);
        }
        catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
        {
            Log.DrainTimedOut(_logger, Id, _options.DrainTimeout.TotalSeconds);
        }
        finally
        {
            _control.Release();
            Volatile.Write(ref _lastAudio, _services.Time.GetTimestamp()); // before the wait stops counting
            Interlocked.Decrement(ref _waitingOnGateway);
        }

        Emit(new FlushedEvent(_audio!.Written));
    }

    /// <summary>The client's <c>close</c>: no more audio is taken; pending results are delivered, then the socket closes.</summary>
    private async Task CloseGracefullyAsync(CancellationToken aborted)
    {
        lock (_input)
        {
            if (!_state.TryClose())
            {
                return; // the gateway is shutting down (its drain delivers the results and closes), or the session ended
            }
        }

        if (_decoder!.PendingBytes > 0)
        {
            var pending = _decoder.PendingBytes;
            Metrics.SessionError(ErrorCodes.PartialSample);
            Emit(new ErrorEvent(
                ErrorCodes.PartialSample,
                $"the stream ended with {pending} byte(s) that do not make a whole sample frame of {_settings.Format.FrameBytes} bytes; they were discarded",
                false));
        }

        await DrainAsync(aborted);
        Terminate(DisconnectReason.ClientClosed, new StreamClosedEvent(_audio!.Written), WebSocketCloseStatus.NormalClosure, "closed");
    }

    private void OnClientClose()
    {
        // A close frame without the close message: the client is gone; nothing more can be delivered reliably.
        Terminate(DisconnectReason.ClientClosed, null, WebSocketCloseStatus.NormalClosure, "");
    }
}
