using System.Diagnostics;
using Gateway.Load.Protocols;

namespace Gateway.Load.Streams;

/// <summary>
/// What one stream's results say: words recovered against the tokens it sent, and per utterance the latencies
/// speech start → first partial (or final) of its segment and end of speech → the final holding its last word.
/// </summary>
internal sealed class StreamAnalysis
{
    public required WordTally Words { get; init; }

    public required List<double> FirstPartialMs { get; init; }

    public required List<double> EndOfSpeechToFinalMs { get; init; }

    /// <summary>The final's <c>end_ms</c> minus the true end of speech, on the gateway's audio clock: VAD end detection plus post-roll.</summary>
    public required List<double> SegmentEndOffsetMs { get; init; }

    /// <summary>Utterances none of whose words came back in a final.</summary>
    public required int UtterancesWithoutFinal { get; init; }

    /// <summary>Segments announced with <c>speech_started</c> that never got a <c>final</c>.</summary>
    public required int SegmentsWithoutFinal { get; init; }

    public required int Segments { get; init; }

    public required Dictionary<string, int> Errors { get; init; }

    public required int Overflows { get; init; }

    /// <summary>Finals whose <c>segment_id</c> arrived before (a resume that replayed too much).</summary>
    public required int DuplicatedFinals { get; init; }

    public static StreamAnalysis Of(StreamOutcome outcome)
    {
        var where = new Dictionary<string, (int Utterance, int Word)>(StringComparer.Ordinal);
        for (var u = 0; u < outcome.Utterances.Count; u++)
        {
            for (var w = 0; w < outcome.Utterances[u].Tokens.Count; w++)
            {
                where[outcome.Utterances[u].Tokens[w]] = (u, w);
            }
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var finalOf = new Dictionary<string, ServerMessage>(StringComparer.Ordinal);
        var firstResultOfSegment = new Dictionary<long, long>();
        var started = new HashSet<long>();
        var finished = new HashSet<long>();
        var errors = new Dictionary<string, int>(StringComparer.Ordinal);
        int outOfOrder = 0, unexpected = 0, overflows = 0, duplicatedFinals = 0;
        var last = (Utterance: -1, Word: -1);
        foreach (var m in outcome.Messages)
        {
            switch (m.Type)
            {
                case "speech_started" when m.SegmentId is { } id:
                    started.Add(id);
                    break;
                case "partial" when m.SegmentId is { } id:
                    firstResultOfSegment.TryAdd(id, m.ReceivedAt);
                    break;
                case "final":
                    if (m.SegmentId is { } fid)
                    {
                        firstResultOfSegment.TryAdd(fid, m.ReceivedAt);
                        if (!finished.Add(fid))
                        {
                            duplicatedFinals++;
                        }
                    }

                    foreach (var word in m.Words())
                    {
                        if (!where.TryGetValue(word, out var at))
                        {
                            unexpected++;
                            continue;
                        }

                        seen[word] = seen.GetValueOrDefault(word) + 1;
                        if (!finalOf.TryAdd(word, m))
                        {
                            continue; // a duplicate, counted as such rather than as out of order
                        }

                        if (at.CompareTo(last) <= 0)
                        {
                            outOfOrder++;
                        }

                        last = at;
                    }

                    break;
                case "error":
                    var code = m.Code ?? "unknown";
                    errors[code] = errors.GetValueOrDefault(code) + 1;
                    break;
                case "overflow":
                    overflows++;
                    break;
            }
        }

        var firstPartial = new List<double>();
        var endToFinal = new List<double>();
        var segmentEndOffset = new List<double>();
        var withoutFinal = 0;
        foreach (var u in outcome.Utterances)
        {
            if (!u.Tokens.Any(finalOf.ContainsKey))
            {
                withoutFinal++;
            }

            if (finalOf.TryGetValue(u.Tokens[^1], out var final))
            {
                endToFinal.Add(Stopwatch.GetElapsedTime(u.SpeechEndSentAt, final.ReceivedAt).TotalMilliseconds);
                if (final.EndMs is { } end)
                {
                    segmentEndOffset.Add(end - u.SpeechEndStreamMs);
                }
            }

            if (finalOf.TryGetValue(u.Tokens[0], out var firstFinal) && firstFinal.SegmentId is { } segment
                && firstResultOfSegment.TryGetValue(segment, out var firstResult) && firstResult >= u.SpeechStartSentAt)
            {
                firstPartial.Add(Stopwatch.GetElapsedTime(u.SpeechStartSentAt, firstResult).TotalMilliseconds);
            }
        }

        var expected = where.Count;
        var recovered = seen.Count(kv => kv.Value == 1);
        return new StreamAnalysis
        {
            Words = new WordTally(expected, recovered, expected - seen.Count, seen.Values.Sum(c => Math.Max(0, c - 1)), outOfOrder, unexpected),
            FirstPartialMs = firstPartial,
            EndOfSpeechToFinalMs = endToFinal,
            SegmentEndOffsetMs = segmentEndOffset,
            UtterancesWithoutFinal = withoutFinal,
            SegmentsWithoutFinal = started.Count(id => !finished.Contains(id)),
            Segments = started.Count,
            Errors = errors,
            Overflows = overflows,
            DuplicatedFinals = duplicatedFinals,
        };
    }
}
