using System.Globalization;
using System.Text;
using Gateway.Core.Rooms;

namespace Gateway.Core.Ingest;

/// <summary>
/// An ingest's finals on its own clock (milliseconds of audio since the ingest began, gaps included as silence) and
/// the gaps where the source was down; rendered as rolling WebVTT and SRT and as a live HLS WebVTT rendition
/// (RFC 8216 §3.5: one WebVTT file per segment, a playlist that slides).
/// </summary>
/// <remarks>Written by the session's send loop (finals) and the source loop (gaps), read by HTTP requests: locked.</remarks>
internal sealed class IngestCaptions : IIngestCaptions
{
    private readonly Lock _lock = new();
    private readonly LinkedList<Cue> _cues = new();
    private readonly List<Gap> _gaps = [];
    private readonly int _maxCues;
    private readonly double _segmentMs;
    private readonly double _latencyMs;
    private readonly int _window;
    private long _finals;
    private long _numbered;
    private string? _timestampMap;

    public IngestCaptions(IngestOptions options)
    {
        _maxCues = options.MaxCues;
        _segmentMs = options.SubtitleSegment.TotalMilliseconds;
        _latencyMs = options.SubtitleLatency.TotalMilliseconds;
        _window = options.SubtitleWindow;
    }

    public long Finals => Interlocked.Read(ref _finals);

    /// <summary>
    /// Where the ingest's clock (cue time 0) sits on the source's media timeline: the start time ffmpeg reported for
    /// the source of the first run. Set once; it becomes each subtitle segment's <c>X-TIMESTAMP-MAP</c>.
    /// </summary>
    public bool HasMediaStart => Volatile.Read(ref _timestampMap) is not null;

    public void SetMediaStart(double? seconds)
    {
        // MPEG-2 timestamps are 90 kHz and wrap at 2^33 (RFC 8216 §3.5).
        var mpegts = seconds is { } s && double.IsFinite(s) && s > 0 ? (long)Math.Round(s * 90_000) % (1L << 33) : 0;
        Interlocked.CompareExchange(ref _timestampMap, string.Create(CultureInfo.InvariantCulture, $"X-TIMESTAMP-MAP=MPEGTS:{mpegts},LOCAL:00:00:00.000\n"), null);
    }

    public double LastFinalEndMs { get; private set; }

    public void AddFinal(double startMs, double endMs, string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return;
        }

        lock (_lock)
        {
            _cues.AddLast(new Cue(++_numbered, startMs, endMs, RoomTranscript.OneLine(text)));
            if (_cues.Count > _maxCues)
            {
                _cues.RemoveFirst();
            }

            LastFinalEndMs = Math.Max(LastFinalEndMs, endMs);
        }

        Interlocked.Increment(ref _finals);
    }

    public void AddGap(double startMs, double endMs)
    {
        lock (_lock)
        {
            _gaps.Add(new Gap(startMs, endMs));
            if (_gaps.Count > _maxCues)
            {
                _gaps.RemoveAt(0);
            }
        }
    }

    public IReadOnlyList<Gap> Gaps
    {
        get
        {
            lock (_lock)
            {
                return [.. _gaps];
            }
        }
    }

    public IReadOnlyList<Cue> Cues
    {
        get
        {
            lock (_lock)
            {
                return [.. _cues];
            }
        }
    }

    /// <summary>Every retained cue; each gap is a NOTE block (a comment to players), so it is marked, not hidden.</summary>
    public string Vtt()
    {
        var text = new StringBuilder("WEBVTT\n\n");
        var gaps = Gaps;
        var next = 0;
        foreach (var cue in Cues)
        {
            for (; next < gaps.Count && gaps[next].StartMs <= cue.StartMs; next++)
            {
                AppendGapNote(text, gaps[next]);
            }

            AppendVttCue(text, cue);
        }

        for (; next < gaps.Count; next++)
        {
            AppendGapNote(text, gaps[next]);
        }

        return text.ToString();
    }

    public string Srt()
    {
        var text = new StringBuilder();
        foreach (var cue in Cues)
        {
            text.Append(cue.Number).Append('\n')
                .Append(RoomTranscript.Time(cue.StartMs, ',')).Append(" --> ").Append(RoomTranscript.Time(cue.EndMs, ',')).Append('\n')
                .Append(cue.Text).Append("\n\n");
        }

        return text.ToString();
    }

    /// <summary>
    /// The live playlist: segments whose window ended at least <see cref="IngestOptions.SubtitleLatency"/> before the
    /// audio position (their finals are in), the last <see cref="IngestOptions.SubtitleWindow"/> of them; once the
    /// ingest ended, every segment up to the end and <c>#EXT-X-ENDLIST</c>.
    /// </summary>
    public string Playlist(double positionMs, bool ended)
    {
        var complete = ended ? (long)Math.Ceiling(positionMs / _segmentMs) : (long)Math.Floor((positionMs - _latencyMs) / _segmentMs);
        complete = Math.Max(0, complete);
        var first = ended ? FirstRetainedSegment() : Math.Max(FirstRetainedSegment(), complete - _window);
        first = Math.Min(first, complete);
        var seconds = _segmentMs / 1000;
        var text = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n")
            .Append(CultureInfo.InvariantCulture, $"#EXT-X-TARGETDURATION:{(int)Math.Ceiling(seconds)}\n")
            .Append(CultureInfo.InvariantCulture, $"#EXT-X-MEDIA-SEQUENCE:{first}\n");
        if (ended)
        {
            text.Append("#EXT-X-PLAYLIST-TYPE:EVENT\n");
        }

        for (var k = first; k < complete; k++)
        {
            text.Append(CultureInfo.InvariantCulture, $"#EXTINF:{seconds:0.000},\nsubtitles/{k}.vtt\n");
        }

        if (ended)
        {
            text.Append("#EXT-X-ENDLIST\n");
        }

        return text.ToString();
    }

    /// <summary>
    /// One segment's WebVTT: every cue that overlaps its window (a cue across a boundary is in both, as RFC 8216 allows),
    /// after an <c>X-TIMESTAMP-MAP</c> header that puts cue time 0 at the source's media start, so a player aligns the
    /// cues with the source's video (RFC 8216 §3.5).
    /// </summary>
    public string Segment(long index)
    {
        var start = index * _segmentMs;
        var end = start + _segmentMs;
        var text = new StringBuilder("WEBVTT\n").Append(Volatile.Read(ref _timestampMap) ?? "X-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00:00.000\n").Append('\n');
        foreach (var cue in Cues)
        {
            if (cue.EndMs > start && cue.StartMs < end)
            {
                AppendVttCue(text, cue);
            }
        }

        return text.ToString();
    }

    /// <summary>Segments before the oldest retained cue are gone (a 404), so the playlist starts there.</summary>
    private long FirstRetainedSegment()
    {
        lock (_lock)
        {
            return _cues.Count == _maxCues && _cues.First is { } oldest ? (long)(oldest.Value.StartMs / _segmentMs) : 0;
        }
    }

    /// <summary>The cue's number is its identifier, the same in the rolling file, every segment and the SRT.</summary>
    private static void AppendVttCue(StringBuilder text, Cue cue) =>
        text.Append(cue.Number).Append('\n')
            .Append(RoomTranscript.Time(cue.StartMs, '.')).Append(" --> ").Append(RoomTranscript.Time(cue.EndMs, '.')).Append('\n')
            .Append(RoomTranscript.VttEscape(cue.Text)).Append("\n\n");

    private static void AppendGapNote(StringBuilder text, Gap gap) =>
        text.Append("NOTE source lost from ").Append(RoomTranscript.Time(gap.StartMs, '.'))
            .Append(" to ").Append(RoomTranscript.Time(gap.EndMs, '.')).Append("; the ingest reconnected\n\n");

    public readonly record struct Cue(long Number, double StartMs, double EndMs, string Text);

    public readonly record struct Gap(double StartMs, double EndMs);
}
