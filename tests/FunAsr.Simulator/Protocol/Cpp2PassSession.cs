using System.Text.Json;
using FunAsr.Simulator.Content;
using FunAsr.Simulator.Diagnostics;
using FunAsr.Simulator.Json;

namespace FunAsr.Simulator.Protocol;

/// <summary>
/// The C++ realtime server <c>funasr-wss-server-2pass</c> (WS2), funasr.md §3-§6.
/// Receive side: config parsing, connection-scoped chunk_size/hotwords, 1600-byte batching.
/// Processing side (ordered, like the asio strand): online deltas, offline sentences, exactly one final per EOS.
/// </summary>
internal sealed class Cpp2PassSession(Connection connection) : IFlavourSession
{
    /// <summary>WS2:584-599: every whole multiple of 1600 bytes (50 ms at 16 kHz) is posted to the decoder.</summary>
    public const int BatchBytes = 1600;

    public const string PcmOnlyError = "ERROR. Real-time transcription service ONLY SUPPORT PCM stream.";

    private readonly Connection _c = connection;

    // Receive side (network thread).
    private bool _sawText;
    private bool _audioBeforeConfigReported;
    private bool _missingChunkReported;
    private bool _handle;
    private string _wavName = "wav-default-id";
    private string _wavFormat = "pcm";
    private string _mode = "2pass";
    private readonly byte[] _pending = new byte[BatchBytes];
    private int _pendingCount;
    private Utterance? _current;
    private Utterance? _awaitingFinal;
    private int _awaitingTerminal;

    // Processing side (strand): connection-scoped counters of funasr.md §4.5.
    private int _index;
    private bool _partialInSentence;

    // funasr.md §6.1: bad JSON poisons the connection (WS2:449-457).
    public void OnText(string text) => _c.HandleText(text, poisonOnBadJson: true, HandleConfig);

    public void OnBinary(ReadOnlySpan<byte> data)
    {
        if (_c.Poisoned)
        {
            return;
        }

        if (!_sawText)
        {
            // funasr.md §6.2 (WS2:590-602): audio before the first config is dropped.
            if (!_audioBeforeConfigReported)
            {
                _audioBeforeConfigReported = true;
                _c.Violation(ViolationKind.AudioBeforeConfig, $"{data.Length} bytes dropped");
            }

            return;
        }

        ReportIfEarly("audio");
        var utterance = EnsureUtterance();
        if (!_handle && !_missingChunkReported)
        {
            _missingChunkReported = true;
            _c.Violation(ViolationKind.MissingChunkSize, "audio on a connection without a valid chunk_size: no result will ever come");
        }

        var total = _pendingCount + data.Length;
        var post = total / BatchBytes * BatchBytes;
        if (post == 0)
        {
            data.CopyTo(_pending.AsSpan(_pendingCount));
            _pendingCount = total;
            return;
        }

        var batch = new byte[post];
        _pending.AsSpan(0, _pendingCount).CopyTo(batch);
        var fromData = post - _pendingCount;
        data[..fromData].CopyTo(batch.AsSpan(_pendingCount));
        data[fromData..].CopyTo(_pending);
        _pendingCount = data.Length - fromData;

        var step = new Step(batch, _wavName, _mode, IsPcm(_wavFormat), _handle);
        _c.Enqueue(ct => ProcessStepAsync(utterance, step, ct));
    }

    private void HandleConfig(JsonElement root)
    {
        var eos = IsEos(root);
        if (!eos)
        {
            _c.AddConfig();
            ReportIfEarly("config");
        }

        _sawText = true;

        if (root.TryGetProperty("wav_name", out var wavName))
        {
            if (wavName.ValueKind != JsonValueKind.String)
            {
                _c.Crash("wav_name", $"expected a string, got {wavName.ValueKind}");
                return;
            }

            _wavName = wavName.GetString()!;
        }

        if (root.TryGetProperty("wav_format", out var format))
        {
            if (format.ValueKind != JsonValueKind.String)
            {
                _c.Crash("wav_format", $"expected a string, got {format.ValueKind}");
                return;
            }

            _wavFormat = format.GetString()!;
        }

        if (root.TryGetProperty("mode", out var mode))
        {
            if (mode.ValueKind != JsonValueKind.String)
            {
                _c.Crash("mode", $"expected a string, got {mode.ValueKind}");
                return;
            }

            _mode = mode.GetString()!;
        }

        // Upstream order: hotwords (WS2:470-513) before chunk_size (WS2:518-532), so a message whose chunk_size
        // is rejected still compiles the connection's hotwords.
        if (!_c.CompileHotwordsOnce(root))
        {
            return;
        }

        if (root.TryGetProperty("chunk_size", out var chunk) && !HandleChunkSize(chunk))
        {
            return;
        }

        CheckLooseTypes(root);

        if (root.TryGetProperty("is_speaking", out var speaking) && speaking.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            _c.Crash("is_speaking", $"expected a bool, got {speaking.ValueKind}");
            return;
        }

        if (eos)
        {
            EndOfUtterance();
        }
    }

    // WS2:518-532: the streaming handle is created once per connection from the first valid chunk_size;
    // an invalid one logs "Wrong chunk_size!" and skips the rest of the message, is_speaking included.
    private bool HandleChunkSize(JsonElement chunk)
    {
        var check = ChunkSize.CheckCpp(chunk, out var canonical);
        if (check == ChunkSizeCheck.WrongType)
        {
            _c.Crash("chunk_size", $"expected an int array, got {chunk.GetRawText()}");
            return false;
        }

        if (_handle)
        {
            if (canonical != _c.Stats.ChunkSize)
            {
                _c.Violation(ViolationKind.ChunkSizeChanged, $"connection uses [{_c.Stats.ChunkSize}], [{canonical}] ignored");
            }

            return true;
        }

        if (check == ChunkSizeCheck.Invalid)
        {
            _c.Violation(ViolationKind.InvalidChunkSize, $"Wrong chunk_size! [{canonical}]");
            return false;
        }

        _handle = true;
        _c.Stats.ChunkSize = canonical;
        return true;
    }

    private void CheckLooseTypes(JsonElement root)
    {
        CheckType(root, "audio_fs", JsonValueKind.Number);
        CheckType(root, "itn", JsonValueKind.True, JsonValueKind.False);
        CheckType(root, "is_finished", JsonValueKind.True, JsonValueKind.False);
        CheckType(root, "chunk_interval", JsonValueKind.Number);
    }

    private void CheckType(JsonElement root, string name, JsonValueKind kind, JsonValueKind alternative = JsonValueKind.Undefined)
    {
        if (root.TryGetProperty(name, out var value) && value.ValueKind != kind && value.ValueKind != alternative)
        {
            _c.Violation(ViolationKind.WrongJsonType, $"{name}: got {value.ValueKind}");
        }
    }

    private static bool IsEos(JsonElement root) =>
        (root.TryGetProperty("is_speaking", out var speaking) && speaking.ValueKind == JsonValueKind.False)
        || (root.TryGetProperty("is_finished", out var finished) && finished.ValueKind == JsonValueKind.True);

    private void EndOfUtterance()
    {
        var utterance = EnsureUtterance();
        _current = null;
        if (_awaitingTerminal > 0)
        {
            _c.Violation(ViolationKind.EosBeforeFinal, $"EOS for '{_wavName}' while an earlier final is still pending");
        }

        Interlocked.Increment(ref _awaitingTerminal);
        _awaitingFinal = utterance;

        // funasr.md §3.2: an odd trailing byte is dropped.
        var tailLength = _pendingCount & ~1;
        if ((_pendingCount & 1) != 0)
        {
            _c.Violation(ViolationKind.OddAudioLength, $"'{_wavName}' ended with an odd byte count");
        }

        var tail = _pending.AsSpan(0, tailLength).ToArray();
        _pendingCount = 0;

        if (!_handle)
        {
            // funasr.md §6.3 (WS2:164-169): no streaming handle, no result and no final, ever.
            _c.Violation(ViolationKind.MissingChunkSize, $"EOS for '{_wavName}' without a valid chunk_size: no final will be sent");
            return;
        }

        var step = new Step(tail, _wavName, _mode, IsPcm(_wavFormat), _handle);
        _c.Enqueue(ct => ProcessFinalAsync(utterance, step, ct));
    }

    private Utterance EnsureUtterance() => _current ??= new Utterance(_c.StartUtterance());

    private void ReportIfEarly(string what) => _c.ReportIfEarly(_awaitingFinal, Volatile.Read(ref _awaitingTerminal), what, _wavName, "final");

    private static bool IsPcm(string format) => format is "pcm" or "PCM";

    private async Task ProcessStepAsync(Utterance utterance, Step step, CancellationToken cancellationToken)
    {
        if (utterance.Plan.Drop && !utterance.Dropped)
        {
            utterance.Dropped = true;
            _c.Drop();
            return;
        }

        await _c.DecodeAsync(step.HasHandle && step.IsPcm ? step.Audio.Length : 0, _c.Options.StepLatency, cancellationToken);
        if (!step.HasHandle || !step.IsPcm)
        {
            return;
        }

        var events = new List<ContentEvent>();
        utterance.Recognizer.Append(step.Audio, events);
        foreach (var reply in Render(utterance, events, step))
        {
            await _c.SendAsync(reply.Add("is_final", false), JsonStyle.CompactSorted, cancellationToken);
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

        await _c.DecodeAsync(step.IsPcm ? step.Audio.Length : 0, _c.Options.FinalLatency, cancellationToken);
        Reply final;
        if (!step.IsPcm)
        {
            // funasr.md §6.5 (WS2:262-276): the only explicit error text; no timestamp.
            final = new Reply().Add("is_final", true).Add("text", PcmOnlyError).Add("wav_name", step.WavName);
        }
        else
        {
            var events = new List<ContentEvent>();
            utterance.Recognizer.Append(step.Audio, events);
            utterance.Recognizer.Finish(events);
            _c.AddSequenceRegressions(utterance.Recognizer.SequenceRegressions);
            var replies = Render(utterance, events, step);
            for (var i = 0; i < replies.Count - 1; i++)
            {
                await _c.SendAsync(replies[i].Add("is_final", false), JsonStyle.CompactSorted, cancellationToken);
            }

            // funasr.md §4.2: text/mode of the final come from the last step, so it can carry the last
            // sentence; with no text, mode is absent.
            final = replies.Count > 0
                ? replies[^1].Add("is_final", true)
                : new Reply().Add("is_final", true).Add("text", string.Empty).Add("timestamp", _c.OpenedAtEpochMs).Add("wav_name", step.WavName);
        }

        if (utterance.Plan.SilentFinal)
        {
            _c.SilentFinal();
            return;
        }

        // Book-keeping before the send: a client may answer the final before this loop runs again.
        Interlocked.Decrement(ref _awaitingTerminal);
        _c.CompleteUtterance();
        await _c.SendAsync(final, JsonStyle.CompactSorted, cancellationToken);
    }

    // funasr.md §4.2: 2pass-online deltas and 2pass-offline sentences; requested "offline" gives only
    // sentences, "online" only deltas (since 724a085). index counts sentences per connection, never reset;
    // slice_type 0 marks the first partial of a sentence.
    private List<Reply> Render(Utterance utterance, List<ContentEvent> events, Step step)
    {
        var online = step.Mode != "offline";
        var offline = step.Mode != "online";
        var replies = new List<Reply>();
        var delta = new List<string>();
        foreach (var e in events)
        {
            if (e.Kind == ContentEventKind.Word)
            {
                delta.Add(e.Word!.Text);
                continue;
            }

            FlushDelta();
            if (offline)
            {
                // index and slice_type advance only with a 2pass-offline message: an utterance that ends without
                // one leaves the next utterance's first partial at slice_type 1 (funasr.md §5 edge case).
                
                var s = e.Sentence!;
                replies.Add(new Reply()
                    .Add("end_time", s.EndMs)
                    .Add("index", _index)
                    .Add("mode", "2pass-offline")
                    .Add("slice_type", 2)
                    // start_time comes from the online partials, so it is 0 in offline mode (§4.5).
                    .Add("start_time", online ? s.StartMs : 0)
                    .Add("text", s.Text + ".")
                    .Add("timestamp", _c.OpenedAtEpochMs)
                    .Add("wav_name", step.WavName));
                _index++;
                _partialInSentence = false;
            }

            utterance.SentenceHasDelta = false;
        }

        FlushDelta();
        return replies;

        void FlushDelta()
        {
            if (delta.Count == 0)
            {
                return;
            }

            if (online)
            {
                var text = (utterance.SentenceHasDelta ? " " : string.Empty) + string.Join(' ', delta);
                replies.Add(new Reply()
                    .Add("index", _index)
                    .Add("mode", "2pass-online")
                    .Add("slice_type", _partialInSentence ? 1 : 0)
                    .Add("text", text)
                    .Add("timestamp", _c.OpenedAtEpochMs)
                    .Add("wav_name", step.WavName));
                _partialInSentence = true;
                utterance.SentenceHasDelta = true;
            }

            delta.Clear();
        }
    }

    /// <summary>One posted batch with the per-message values captured when it was posted (WS2:300,462-464).</summary>
    private sealed record Step(byte[] Audio, string WavName, string Mode, bool IsPcm, bool HasHandle);
}
