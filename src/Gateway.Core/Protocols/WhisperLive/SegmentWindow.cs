using System.Globalization;
using System.Text.Json;
using Gateway.Core.Results;
using Gateway.Core.Sessions;

namespace Gateway.Core.Protocols.WhisperLive;

/// <summary>
/// The sliding window a WhisperLive client expects in every <c>segments</c> message (whisperlive.md §7): the last
/// N completed segments, then at most one partial. Each final becomes one completed segment that never changes
/// and never starts before the previous completed end; the partial keeps its start while its text grows, and its
/// final takes over that start (iOS keys segments by the exact start string).
/// </summary>
/// <remarks>Used by the send loop only.</remarks>
internal sealed class SegmentWindow
{
    private readonly Queue<Segment> _completed = new();
    private readonly int _size;
    private long _completedEnd;
    private long _lastFinalId = -1;
    private long _partialId = -1;
    private Segment? _partial;

    public SegmentWindow(int size) => _size = size;

    public bool IsEmpty => _completed.Count == 0 && _partial is null;

    /// <summary>True when the window changed and should be sent.</summary>
    public bool OnPartial(PartialEvent partial)
    {
        if (partial.SegmentId <= _lastFinalId || partial.SegmentId < _partialId)
        {
            return false; // late partial of a segment already final, or of one superseded by a later segment
        }

        var text = WhisperText(partial.Text);
        if (text.Length == 0)
        {
            return false;
        }

        var start = partial.SegmentId == _partialId && _partial is { } current
            ? current.Start
            : Math.Max(partial.StartSample, _completedEnd);
        var next = new Segment(start, Math.Max(partial.EndSample, start), text);
        if (partial.SegmentId == _partialId && _partial == next)
        {
            return false;
        }

        _partialId = partial.SegmentId;
        _partial = next;
        return true;
    }

    public bool OnFinal(FinalEvent final)
    {
        _lastFinalId = Math.Max(_lastFinalId, final.SegmentId);
        var start = final.SegmentId == _partialId && _partial is { } current
            ? current.Start
            : Math.Max(final.StartSample, _completedEnd);
        var changed = DropPartialUpTo(final.SegmentId);
        var text = WhisperText(final.Text);
        if (text.Length == 0)
        {
            return changed;
        }

        var end = Math.Max(final.EndSample, start);
        _completed.Enqueue(new Segment(start, end, text));
        while (_completed.Count > _size)
        {
            _completed.Dequeue();
        }

        _completedEnd = end;
        if (_partial is { } later && later.Start < _completedEnd)
        {
            _partial = later with { Start = _completedEnd, End = Math.Max(later.End, _completedEnd) };
        }

        return true;
    }

    public bool OnFailed(SegmentFailedEvent failed)
    {
        _lastFinalId = Math.Max(_lastFinalId, failed.SegmentId);
        return DropPartialUpTo(failed.SegmentId);
    }

    /// <summary>Writes <c>"segments":[...]</c>: completed segments oldest first, the partial last.</summary>
    public void Write(Utf8JsonWriter json)
    {
        json.WriteStartArray("segments");
        foreach (var segment in _completed)
        {
            WriteSegment(json, segment, completed: true);
        }

        if (_partial is { } partial)
        {
            WriteSegment(json, partial, completed: false);
        }

        json.WriteEndArray();
    }

    /// <summary>Whisper's text style: a leading space, one line (a newline would break the clients' SRT entries).</summary>
    internal static string WhisperText(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length == 0 ? "" : " " + line;
    }

    /// <summary>Seconds since the first sample as <c>"%.3f"</c>, the reference's format.</summary>
    internal static string Seconds(long samples) =>
        (samples / 16_000.0).ToString("0.000", CultureInfo.InvariantCulture);

    private bool DropPartialUpTo(long segmentId)
    {
        if (_partial is null || _partialId > segmentId)
        {
            return false;
        }

        _partial = null;
        return true;
    }

    private static void WriteSegment(Utf8JsonWriter json, Segment segment, bool completed)
    {
        json.WriteStartObject();
        json.WriteString("start", Seconds(segment.Start));
        json.WriteString("end", Seconds(segment.End));
        json.WriteString("text", segment.Text);
        json.WriteBoolean("completed", completed);
        json.WriteEndObject();
    }

    private readonly record struct Segment(long Start, long End, string Text);
}
