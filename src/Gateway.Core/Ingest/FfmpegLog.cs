namespace Gateway.Core.Ingest;

/// <summary>
/// ffmpeg's stderr for one run of an ingest: the source format from the input dump
/// (<c>Stream #0:0: Audio: aac (LC), 48000 Hz, stereo, fltp</c>), whether there is no audio stream, and the last lines
/// (with the source URL redacted) as the reason a caller sees. Lines are parsed, never logged one by one.
/// </summary>
/// <remarks>Fed by CliWrap's stderr pipe (one thread); read from any thread: locked.</remarks>
internal sealed class FfmpegLog
{
    private const int KeptLines = 10;
    private const int MaxLineLength = 300;
    private readonly Queue<string> _tail = new();
    private readonly string _url;
    private readonly string _redacted;

    public FfmpegLog(string url, string redacted)
    {
        _url = url;
        _redacted = redacted;
    }

    public string? SourceFormat { get; private set; }

    public bool NoAudioStream { get; private set; }

    /// <summary>The source's start time in its own media timeline (<c>Duration: N/A, start: 20.000000, ...</c>), in seconds; null until the input dump.</summary>
    public double? StartSeconds { get; private set; }

    public void Add(string line)
    {
        if (line.Length == 0)
        {
            return;
        }

        line = line.Replace(_url, _redacted, StringComparison.Ordinal);
        if (line.Length > MaxLineLength)
        {
            line = line[..MaxLineLength];
        }

        var audio = line.IndexOf(": Audio: ", StringComparison.Ordinal);
        if (audio > 0 && line.TrimStart().StartsWith("Stream #0:", StringComparison.Ordinal) && SourceFormat is null)
        {
            SourceFormat = line[(audio + 9)..].Trim();
        }

        var start = line.IndexOf(", start: ", StringComparison.Ordinal);
        if (start > 0 && StartSeconds is null && line.TrimStart().StartsWith("Duration:", StringComparison.Ordinal))
        {
            var value = line.AsSpan(start + 9);
            var end = value.IndexOf(',');
            if (double.TryParse(end < 0 ? value : value[..end], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
            {
                StartSeconds = seconds;
            }
        }

        if (line.Contains("matches no streams", StringComparison.Ordinal))
        {
            NoAudioStream = true;
        }

        lock (_tail)
        {
            _tail.Enqueue(line);
            if (_tail.Count > KeptLines)
            {
                _tail.Dequeue();
            }
        }
    }

    public IReadOnlyList<string> Tail
    {
        get
        {
            lock (_tail)
            {
                return [.. _tail];
            }
        }
    }

    /// <summary>Why the run ended, from ffmpeg's point of view.</summary>
    public string Reason(int? exitCode)
    {
        if (NoAudioStream)
        {
            return "the source has no audio stream";
        }

        var last = Tail.LastOrDefault(l => !char.IsWhiteSpace(l[0]));
        return (exitCode, last) switch
        {
            (0, _) => "the source ended",
            (_, { } line) => $"ffmpeg exited with code {exitCode}: {line}",
            _ => $"ffmpeg exited with code {exitCode}",
        };
    }
}
