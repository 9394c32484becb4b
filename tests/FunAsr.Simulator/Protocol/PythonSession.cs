using System.Text.Json;
using FunAsr.Simulator.Content;
using FunAsr.Simulator.Diagnostics;
using FunAsr.Simulator.Json;

namespace FunAsr.Simulator.Protocol;

/// <summary>
/// The Python demo server <c>funasr_wss_server.py</c> (PYS), funasr.md §3-§5: every config field is re-read per
/// message, each binary message is one step, sentence results carry <c>is_final:true</c>, and an EOS with
/// <c>is_end:true</c> gets the <c>is_end</c> ack. Replies use Python's <c>json.dumps</c> spacing.
/// </summary>
internal sealed class PythonSession(Connection connection) : IFlavourSession
{
    private readonly Connection _c = connection;

    // Receive side.
    private string? _mode;
    private bool _hasChunkSize;
    private bool _sawConfig;
    private int _chunkInterval = 10;
    private string _wavName = "microphone";
    private Utterance? _current;
    private Utterance? _awaitingAck;
    private int _awaitingTerminal;

    // funasr.md §6.1: bad JSON is logged and ignored by the Python server.
    public void OnText(string text) => _c.HandleText(text, poisonOnBadJson: false, HandleConfig);

    public void OnBinary(ReadOnlySpan<byte> data)
    {
        if (_mode is not ("online" or "offline" or "2pass"))
        {
            // PYS:510-516: without a valid mode every binary frame is ignored, with a recorded error.
            var kind = _sawConfig ? ViolationKind.InvalidMode : ViolationKind.AudioBeforeConfig;
            Ignore(kind, kind == ViolationKind.InvalidMode ? $"invalid mode '{_mode}'" : "audio before config", data.Length);
            return;
        }

        if (!_hasChunkSize)
        {
            Ignore(ViolationKind.MissingChunkSize, "chunk_size missing", data.Length);
            return;
        }

        ReportIfEarly("audio");
        var utterance = EnsureUtterance();
        var even = data.Length & ~1;
        if (even != data.Length)
        {
            _c.Violation(ViolationKind.OddAudioLength, $"binary message of {data.Length} bytes for '{_wavName}'");
        }

        var step = new Step(data[..even].ToArray(), _wavName, _mode, _chunkInterval, IsEnd: false);
        _c.Enqueue(ct => ProcessStepAsync(utterance, step, ct));
    }

    // One violation per utterance and reason; the reason goes into the is_end ack's "error".
    private void Ignore(ViolationKind kind, string error, int bytes)
    {
        var utterance = EnsureUtterance();
        if (!utterance.Errors.Contains(error))
        {
            utterance.Errors.Add(error);
            _c.Violation(kind, $"{error}: {bytes} bytes ignored");
        }
    }

    private void HandleConfig(JsonElement root)
    {
        var eos = root.TryGetProperty("is_speaking", out var speaking) && speaking.ValueKind == JsonValueKind.False;
        if (!eos)
        {
            _c.AddConfig();
            ReportIfEarly("config");
        }

        _sawConfig = true;
        if (TryGet(root, "mode", JsonValueKind.String, out var mode))
        {
            _mode = mode.GetString();
        }

        if (TryGet(root, "wav_name", JsonValueKind.String, out var wavName))
        {
            _wavName = wavName.GetString()!;
        }

        if (TryGet(root, "chunk_interval", JsonValueKind.Number, out var interval) && interval.TryGetInt32(out var n) && n > 0)
        {
            _chunkInterval = n;
        }

        if (root.TryGetProperty("chunk_size", out var chunk))
        {
            if (ChunkSize.TryParsePython(chunk, out var parsed))
            {
                _hasChunkSize = true;
                _c.Stats.ChunkSize = string.Join(',', parsed);
            }
            else
            {
                _c.Violation(ViolationKind.InvalidChunkSize, chunk.GetRawText());
            }
        }

        // Python re-reads hotwords per config; nothing is connection-scoped.
        if (TryGet(root, "hotwords", JsonValueKind.String, out var hotwords))
        {
            _c.Stats.Hotwords = hotwords.GetString();
        }

        TryGet(root, "is_speaking", JsonValueKind.True, out _, JsonValueKind.False);
        var isEnd = TryGet(root, "is_end", JsonValueKind.True, out var end, JsonValueKind.False) && end.ValueKind == JsonValueKind.True;
        if (eos)
        {
            EndOfUtterance(isEnd);
        }
    }

    private bool TryGet(JsonElement root, string name, JsonValueKind kind, out JsonElement value, JsonValueKind alternative = JsonValueKind.Undefined)
    {
        if (!root.TryGetProperty(name, out value))
        {
            return false;
        }

        if (value.ValueKind != kind && value.ValueKind != alternative)
        {
            _c.Violation(ViolationKind.WrongJsonType, $"{name}: got {value.ValueKind}");
            return false;
        }

        return true;
    }

    private void EndOfUtterance(bool isEnd)
    {
        var utterance = EnsureUtterance();
        _current = null;
        if (isEnd)
        {
            if (_awaitingTerminal > 0)
            {
                _c.Violation(ViolationKind.EosBeforeFinal, $"EOS for '{_wavName}' while an earlier is_end ack is still pending");
            }

            Interlocked.Increment(ref _awaitingTerminal);
            _awaitingAck = utterance;
        }

        var step = new Step([], _wavName, _mode ?? string.Empty, _chunkInterval, isEnd);
        _c.Enqueue(ct => ProcessFinalAsync(utterance, step, ct));
    }

    private Utterance EnsureUtterance() => _current ??= new Utterance(_c.StartUtterance());

    private void ReportIfEarly(string what) => _c.ReportIfEarly(_awaitingAck, Volatile.Read(ref _awaitingTerminal), what, _wavName, "is_end ack");

    private async Task ProcessStepAsync(Utterance utterance, Step step, CancellationToken cancellationToken)
    {
        if (utterance.Plan.Drop && !utterance.Dropped)
        {
            utterance.Dropped = true;
            _c.Drop();
            return;
        }

        await _c.DecodeAsync(step.Audio.Length, _c.Options.StepLatency, cancellationToken);
        utterance.Messages++;
        var events = new List<ContentEvent>();
        utterance.Recognizer.Append(step.Audio, events);

        // Online ASR runs every chunk_interval binary messages; words wait for the next run.
        var flushOnline = utterance.Messages % step.ChunkInterval == 0;
        foreach (var reply in Render(utterance, events, step, flushOnline, eos: false))
        {
            await _c.SendAsync(reply, JsonStyle.Python, cancellationToken);
        }
    }

    private async Task ProcessFinalAsync(Utterance utterance, Step step, CancellationToken cancellationToken)
    {
        if (utterance.Plan.Drop && !utterance.Dropped)
        {
            utterance.Dropped = true;
            _c.Drop();
            return;
        }

        await _c.DecodeAsync(step.Audio.Length, _c.Options.FinalLatency, cancellationToken);
        var events = new List<ContentEvent>();
        utterance.Recognizer.Finish(events);
        _c.AddSequenceRegressions(utterance.Recognizer.SequenceRegressions);
        var replies = Render(utterance, events, step, flushOnline: true, eos: true);
        if (utterance.Plan.SilentFinal)
        {
            _c.SilentFinal();
            return;
        }

        if (!step.IsEnd)
        {
            _c.CompleteUtterance();
        }

        foreach (var reply in replies)
        {
            await _c.SendAsync(reply, JsonStyle.Python, cancellationToken);
        }

        if (step.IsEnd)
        {
            // funasr.md §4.3, §8.3.4: the ack carries the requested mode; errors turn is_final false.
            var ack = new Reply().Add("mode", step.Mode).Add("wav_name", step.WavName);
            if (utterance.Errors.Count == 0)
            {
                ack.Add("is_final", true).Add("is_end", true);
            }
            else
            {
                ack.Add("is_final", false).Add("is_end", true).Add("error", string.Join("; ", utterance.Errors));
            }

            // Book-keeping before the send: a client may answer the ack before this loop runs again.
            Interlocked.Decrement(ref _awaitingTerminal);
            _c.CompleteUtterance();
            await _c.SendAsync(ack, JsonStyle.Python, cancellationToken);
        }
    }

    // funasr.md §4.3: partials "2pass-online"/"online" (is_final false; in online mode the partial after EOS is
    // is_final true), sentences "2pass-offline"/"offline" with is_final true and an array timestamp.
    private static List<Reply> Render(Utterance utterance, List<ContentEvent> events, Step step, bool flushOnline, bool eos)
    {
        var online = step.Mode is "online" or "2pass";
        var offline = step.Mode is "offline" or "2pass";
        var replies = new List<Reply>();
        foreach (var e in events)
        {
            if (e.Kind == ContentEventKind.Word)
            {
                utterance.PendingWords.Add(e.Word!.Text);
                continue;
            }

            FlushDelta(final: eos && step.Mode == "online");
            if (offline)
            {
                var s = e.Sentence!;
                var two = step.Mode == "2pass";
                replies.Add(new Reply()
                    .Add("mode", two ? "2pass-offline" : "offline")
                    .Add("spk_name", "unknown")
                    .Add("spk_score", 0.0)
                    .Add("text", two ? s.Text + "." : s.Text)
                    .Add("wav_name", step.WavName)
                    .Add("is_final", true)
                    .Add("timestamp", s.Words.Select(w => new[] { w.StartMs, w.EndMs }).ToList()));
            }

            utterance.SentenceHasDelta = false;
        }

        if (flushOnline)
        {
            FlushDelta(final: eos && step.Mode == "online");
        }

        return replies;

        void FlushDelta(bool final)
        {
            if (utterance.PendingWords.Count == 0)
            {
                return;
            }

            if (online)
            {
                var text = (utterance.SentenceHasDelta ? " " : string.Empty) + string.Join(' ', utterance.PendingWords);
                replies.Add(new Reply()
                    .Add("mode", step.Mode == "2pass" ? "2pass-online" : "online")
                    .Add("text", text)
                    .Add("wav_name", step.WavName)
                    .Add("is_final", final));
                utterance.SentenceHasDelta = true;
            }

            utterance.PendingWords.Clear();
        }
    }

    private sealed record Step(byte[] Audio, string WavName, string Mode, int ChunkInterval, bool IsEnd);
}
