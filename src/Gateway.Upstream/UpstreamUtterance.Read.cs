using System.Runtime.CompilerServices;
using System.Text;
using Gateway.Upstream.Diagnostics;
using Gateway.Upstream.Protocol;
using Gateway.Upstream.Replies;
using Gateway.Upstream.WebSockets;

namespace Gateway.Upstream;

public sealed partial class UpstreamUtterance
{
    private bool _pendingTerminal;
    private bool _terminalDelivered;
    private bool _firstResultSeen;

    /// <summary>
    /// The next result event. Ends with one terminal event (Completed or Failed); reading after it returns it again.
    /// Terminal rule by flavour: 2pass <c>is_final:true</c>, offline the first message after the end of input,
    /// Python the <c>is_end:true</c> acknowledgement. The final message's own text is delivered before Completed.
    /// </summary>
    public async ValueTask<UpstreamResult> ReadAsync()
    {
        if (_terminalDelivered || _pendingTerminal)
        {
            return Terminal();
        }

        while (true)
        {
            if (Error != UpstreamError.None)
            {
                return Terminal();
            }

            WebSocketMessage message;
            try
            {
                message = await _connection.Socket.ReceiveAsync(_token).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsConnectionFailure(ex))
            {
                Fail(Classify(ex));
                return Terminal();
            }

            switch (message.Kind)
            {
                case WebSocketMessageKind.Pong:
                    continue;
                case WebSocketMessageKind.Close:
                    Fail(UpstreamError.ConnectionLost);
                    return Terminal();
                case WebSocketMessageKind.Binary:
                    Fail(UpstreamError.ProtocolViolation);
                    return Terminal();
            }

            if (OnReply(message.Payload.Span, out var result))
            {
                return result;
            }
        }
    }

    /// <summary>The result stream as an async sequence, ending after the terminal event.</summary>
    public async IAsyncEnumerable<UpstreamResult> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = await ReadAsync().ConfigureAwait(false);
            yield return result;
            if (result.IsTerminal)
            {
                yield break;
            }
        }
    }

    /// <summary>Applies one reply; true when it produced an event for the caller.</summary>
    private bool OnReply(ReadOnlySpan<byte> json, out UpstreamResult result)
    {
        var start = _metrics.Timestamp();
        var output = _connection.Scratch(json.Length);
        if (!FunAsrReplyParser.TryParse(json, output, out var reply))
        {
            Fail(UpstreamError.ProtocolViolation);
            result = Terminal();
            return true;
        }

        _metrics.Phase(UpstreamPhase.Parse, start);
        if (reply.HasWavName && !reply.WavName(output).SequenceEqual(_wavName))
        {
            // A reply for another utterance: the connection is out of step with us (funasr.md §7 rule 5).
            Fail(UpstreamError.ProtocolViolation);
            result = Terminal();
            return true;
        }

        var terminal = _config.Flavour switch
        {
            FunAsrFlavour.TwoPass => reply.IsFinal,
            FunAsrFlavour.Python => reply.IsEnd,
            _ => true,
        };
        if (_config.Flavour == FunAsrFlavour.Offline && !_finishing)
        {
            // The offline server answers only after the end of input.
            Fail(UpstreamError.ProtocolViolation);
            result = Terminal();
            return true;
        }

        var hasContent = reply.HasText && reply.TextLength > 0 && reply.Mode != FunAsrReplyMode.TwoPass;
        if (hasContent && !_firstResultSeen)
        {
            _firstResultSeen = true;
            _metrics.Phase(UpstreamPhase.FirstPartial, _startTimestamp);
        }

        // The content is copied out before the terminal can hand the connection (and its buffers) to another lease.
        result = hasContent ? Content(reply, output, json) : default;
        if (terminal)
        {
            _pendingTerminal = true;
            if (_finishing)
            {
                _metrics.Phase(UpstreamPhase.Final, _finishTimestamp);
                _pool.ReportFinalLatency(_connection.LeasedTimestamp, _time.GetElapsedTime(_finishTimestamp));
            }

            _metrics.Succeeded();
            Complete(ReadTerminal);
            if (!hasContent)
            {
                result = Terminal();
            }
        }

        return hasContent || terminal;
    }

    private static UpstreamResult Content(in FunAsrReply reply, byte[] output, ReadOnlySpan<byte> json)
    {
        var text = Encoding.UTF8.GetString(reply.Text(output));
        if (reply.Mode == FunAsrReplyMode.Online)
        {
            return new UpstreamResult(UpstreamResultKind.Partial, text, -1, -1, UpstreamError.None);
        }

        string? timestamps = reply.TimestampKind is FunAsrValueKind.String or FunAsrValueKind.Array
            ? Encoding.UTF8.GetString(reply.TimestampRaw(json))
            : null;
        return new UpstreamResult(
            UpstreamResultKind.Sentence, text,
            reply.StartTime is { } s and >= 0 and <= int.MaxValue ? (int)s : -1,
            reply.EndTime is { } e and >= 0 and <= int.MaxValue ? (int)e : -1,
            UpstreamError.None, timestamps);
    }

    private UpstreamResult Terminal()
    {
        _pendingTerminal = false;
        _terminalDelivered = true;
        var error = Error;
        return error == UpstreamError.None ? UpstreamResult.Completed : UpstreamResult.Failed(error);
    }
}
