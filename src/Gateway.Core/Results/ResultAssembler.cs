using System.Text;
using Gateway.Core.Sessions;
using Gateway.Upstream.Replies;

namespace Gateway.Core.Results;

/// <summary>
/// Builds one segment attempt's text from upstream results: 2pass-online deltas are appended to the open
/// sentence, 2pass-offline sentences replace it, and the final is every sentence plus whatever online text the
/// upstream never turned into a sentence. Times map from milliseconds of the utterance to stream samples.
/// </summary>
/// <remarks>Used by one segment's reader only; not thread-safe.</remarks>
public sealed class ResultAssembler
{
    private const int SamplesPerMs = 16;

    private readonly long _segmentStart;
    private readonly List<Sentence> _sentences = [];
    private readonly StringBuilder _online = new();
    private readonly StringBuilder _text = new();

    public ResultAssembler(long segmentStart) => _segmentStart = segmentStart;

    /// <summary>Appends a 2pass-online delta. Returns false when it changed nothing.</summary>
    public bool AddDelta(string delta)
    {
        if (delta.Length == 0)
        {
            return false;
        }

        _online.Append(delta);
        return true;
    }

    /// <summary>Adds a finished sentence; its online text is replaced. Times are ms from the utterance start, or -1.</summary>
    public void AddSentence(string text, int startMs, int endMs, long segmentEnd)
    {
        _online.Clear();
        if (text.Length == 0)
        {
            return;
        }

        var previousEnd = _sentences.Count > 0 ? _sentences[^1].EndSample : _segmentStart;
        var start = startMs >= 0 ? _segmentStart + (long)startMs * SamplesPerMs : previousEnd;
        var end = endMs >= 0 ? _segmentStart + (long)endMs * SamplesPerMs : segmentEnd;

        // Sentences never overlap or move backwards, and stay inside their segment.
        start = Math.Clamp(start, previousEnd, Math.Max(previousEnd, segmentEnd));
        end = Math.Clamp(end, start, Math.Max(start, segmentEnd));
        _sentences.Add(new Sentence(text, start, end));
    }

    /// <summary>The segment's whole text so far: finished sentences, then the open sentence's online text.</summary>
    public string Text()
    {
        _text.Clear();
        foreach (var sentence in _sentences)
        {
            TextJoin.Append(_text, sentence.Text);
        }

        if (_online.Length > 0)
        {
            TextJoin.Append(_text, _online.ToString());
        }

        return _text.ToString();
    }

    /// <summary>The final for a segment spanning [start, end).</summary>
    public FinalEvent Final(long segmentId, long segmentEnd)
    {
        var sentences = new List<Sentence>(_sentences);
        if (_online.Length > 0)
        {
            // Text the upstream delivered only as online deltas (online mode, or a last delta in the final message).
            var previousEnd = sentences.Count > 0 ? sentences[^1].EndSample : _segmentStart;
            sentences.Add(new Sentence(_online.ToString().Trim(), previousEnd, Math.Max(previousEnd, segmentEnd)));
        }

        return new FinalEvent(segmentId, Text().Trim(), _segmentStart, segmentEnd, sentences);
    }
}
