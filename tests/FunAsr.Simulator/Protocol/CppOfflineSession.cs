using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using FunAsr.Simulator.Content;
using FunAsr.Simulator.Diagnostics;
using FunAsr.Simulator.Json;

namespace FunAsr.Simulator.Protocol;

/// <summary>
/// The C++ file transcription server <c>funasr-wss-server</c> (WS), funasr.md §4.1: mode is never read, all
/// audio is buffered (also before the first config), and every EOS yields exactly one message with
/// <c>is_final:false</c>.
/// </summary>
internal sealed class CppOfflineSession(Connection connection) : IFlavourSession
{
    private readonly Connection _c = connection;
    private readonly ArrayBufferWriter<byte> _audio = new(64 * 1024);
    private string _wavName = "wav-default-id";
    private string _wavFormat = "pcm";
    private Utterance? _current;
    private Utterance? _awaitingResult;
    private int _awaitingTerminal;

    // funasr.md §6.1: bad JSON poisons the connection (WS:297-305).
    public void OnText(string text) => _c.HandleText(text, poisonOnBadJson: true, HandleConfig);

    private void HandleConfig(JsonElement root)
    {
        var eos = (root.TryGetProperty("is_speaking", out var speaking) && speaking.ValueKind == JsonValueKind.False)
            || (root.TryGetProperty("is_finished", out var finished) && finished.ValueKind == JsonValueKind.True);
        if (!eos)
        {
            _c.AddConfig();
            ReportIfEarly("config");
        }

        if (!ReadString(root, "wav_name", ref _wavName) || !ReadString(root, "wav_format", ref _wavFormat) || !_c.CompileHotwordsOnce(root))
        {
            return;
        }

        if (eos)
        {
            EndOfUtterance();
        }
    }

    public void OnBinary(ReadOnlySpan<byte> data)
    {
        if (_c.Poisoned)
        {
            return;
        }

        // WS:396-409: appended until EOS, also before any config (decoded with defaults).
        ReportIfEarly("audio");
        var utterance = EnsureUtterance();
        if (utterance.Plan.Drop)
        {
            if (!utterance.Dropped)
            {
                utterance.Dropped = true;
                _c.Drop();
            }

            return;
        }

        _audio.Write(data);
    }

    private bool ReadString(JsonElement root, string name, ref string target)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            return true;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            _c.Crash(name, $"expected a string, got {value.ValueKind}");
            return false;
        }

        target = value.GetString()!;
        return true;
    }

    private void EndOfUtterance()
    {
        var utterance = EnsureUtterance();
        _current = null;
        if (utterance.Plan.Drop)
        {
            if (!utterance.Dropped)
            {
                utterance.Dropped = true;
                _c.Drop();
            }

            return;
        }

        // funasr.md §5: never pipeline on the offline server (issue #2013).
        if (_awaitingTerminal > 0)
        {
            _c.Violation(ViolationKind.EosBeforeFinal, $"EOS for '{_wavName}' while an earlier result is still pending");
        }

        Interlocked.Increment(ref _awaitingTerminal);
        _awaitingResult = utterance;
        var audio = _audio.WrittenSpan.ToArray();
        _audio.ResetWrittenCount();
        var job = new Job(audio, _wavName, _wavFormat);
        _c.Enqueue(ct => DecodeAsync(utterance, job, ct));
    }

    private Utterance EnsureUtterance() => _current ??= new Utterance(_c.StartUtterance());

    private void ReportIfEarly(string what) => _c.ReportIfEarly(_awaitingResult, Volatile.Read(ref _awaitingTerminal), what, _wavName, "result");

    private async Task DecodeAsync(Utterance utterance, Job job, CancellationToken cancellationToken)
    {
        await _c.DecodeAsync(job.Audio.Length, _c.Options.FinalLatency, cancellationToken);
        var pcm = job.WavFormat is "pcm" or "PCM" ? job.Audio.AsMemory() : StripWavHeader(job.Audio);
        if ((pcm.Length & 1) != 0)
        {
            _c.Violation(ViolationKind.OddAudioLength, $"'{job.WavName}' ended with an odd byte count");
            pcm = pcm[..^1];
        }

        var events = new List<ContentEvent>();
        utterance.Recognizer.Append(pcm.Span, events);
        utterance.Recognizer.Finish(events);
        _c.AddSequenceRegressions(utterance.Recognizer.SequenceRegressions);
        var sentences = events.Where(e => e.Kind == ContentEventKind.SentenceEnd).Select(e => e.Sentence!).ToList();

        var reply = new Reply().Add("is_final", false).Add("mode", "offline").Add("wav_name", job.WavName);
        if (sentences.Count == 0)
        {
            reply.Add("text", string.Empty);
        }
        else
        {
            var words = sentences.SelectMany(s => s.Words).ToList();
            reply.Add("text", string.Join(' ', sentences.Select(s => s.Text)))
                .Add("timestamp", TimestampString(words))
                .Add("stamp_sents", sentences.Select(s => new Reply()
                    .Add("end", s.EndMs)
                    .Add("punc", string.Empty)
                    .Add("start", s.StartMs)
                    .Add("text_seg", s.Text)
                    .Add("ts_list", s.Words.Select(w => new[] { w.StartMs, w.EndMs }).ToList()))
                    .ToList());
        }

        if (utterance.Plan.SilentFinal)
        {
            _c.SilentFinal();
            return;
        }

        // Book-keeping before the send: a client may answer the result before this loop runs again.
        Interlocked.Decrement(ref _awaitingTerminal);
        _c.CompleteUtterance();
        await _c.SendAsync(reply, JsonStyle.CompactSorted, cancellationToken);
    }

    // funasr.md §4.1, §8.3.7: timestamp is a string "[[s,e],...]", never an integer.
    private static string TimestampString(IEnumerable<RecognizedWord> words)
    {
        var sb = new StringBuilder("[");
        foreach (var w in words)
        {
            if (sb.Length > 1)
            {
                sb.Append(',');
            }

            sb.Append('[').Append(w.StartMs.ToString(CultureInfo.InvariantCulture)).Append(',').Append(w.EndMs.ToString(CultureInfo.InvariantCulture)).Append(']');
        }

        return sb.Append(']').ToString();
    }

    /// <summary>
    /// Stand-in for the ffmpeg decode of non-PCM formats: a RIFF/WAVE file's <c>data</c> chunk is used as PCM16;
    /// anything else is taken as raw PCM16.
    /// </summary>
    private static ReadOnlyMemory<byte> StripWavHeader(byte[] audio)
    {
        var span = audio.AsSpan();
        if (span.Length < 12 || !span[..4].SequenceEqual("RIFF"u8) || !span.Slice(8, 4).SequenceEqual("WAVE"u8))
        {
            return audio;
        }

        var at = 12;
        while (at + 8 <= span.Length)
        {
            var size = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(span.Slice(at + 4, 4)), int.MaxValue);
            if (span.Slice(at, 4).SequenceEqual("data"u8))
            {
                var start = at + 8;
                return audio.AsMemory(start, Math.Min(size, span.Length - start));
            }

            var next = (long)at + 8 + size + (size & 1);
            if (next > span.Length)
            {
                break;
            }

            at = (int)next;
        }

        return audio;
    }

    private sealed record Job(byte[] Audio, string WavName, string WavFormat);
}
