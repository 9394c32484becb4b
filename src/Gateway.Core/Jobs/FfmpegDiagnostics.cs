using System.Globalization;
using System.Text.RegularExpressions;

namespace Gateway.Core.Jobs;

/// <summary>
/// Reads ffmpeg's stderr as it is written: the input's duration from the header (<c>Duration: 00:01:02.50</c>),
/// whether a container was recognised (<c>Input #0</c>), and the last error line, which becomes the reason a caller
/// sees. Lines are parsed, never logged one by one.
/// </summary>
/// <remarks>Fed by one thread (the stderr pipe); read after ffmpeg exited, or <see cref="Duration"/> from any thread.</remarks>
internal sealed partial class FfmpegDiagnostics
{
    private readonly string? _inputName;
    private string? _lastError;
    private long _durationTicks;

    /// <param name="inputName">The input argument as ffmpeg echoes it, replaced by "input" in reasons (no local paths leak).</param>
    public FfmpegDiagnostics(string? inputName) => _inputName = inputName;

    /// <summary>The container's duration, once the header was read; zero before or when the container does not say.</summary>
    public TimeSpan Duration => TimeSpan.FromTicks(Volatile.Read(ref _durationTicks));

    /// <summary>ffmpeg recognised the container (an <c>Input #0</c> line appeared).</summary>
    public bool InputRecognised { get; private set; }

    public bool NoAudioStream { get; private set; }

    public void Add(string line)
    {
        if (line.Length == 0)
        {
            return;
        }

        if (line.StartsWith("Input #", StringComparison.Ordinal))
        {
            InputRecognised = true;
            return;
        }

        var duration = DurationLine().Match(line);
        if (duration.Success)
        {
            var value = new TimeSpan(0, int.Parse(duration.Groups[1].ValueSpan, CultureInfo.InvariantCulture), int.Parse(duration.Groups[2].ValueSpan, CultureInfo.InvariantCulture), 0)
                + TimeSpan.FromSeconds(double.Parse(duration.Groups[3].ValueSpan, CultureInfo.InvariantCulture));
            Volatile.Write(ref _durationTicks, value.Ticks);
            return;
        }

        if (char.IsWhiteSpace(line[0]) || line.StartsWith("To ignore this", StringComparison.Ordinal)
            || line.StartsWith("Output #", StringComparison.Ordinal) || line.StartsWith("Stream mapping", StringComparison.Ordinal)
            || line.StartsWith("Press [q]", StringComparison.Ordinal) || line.StartsWith("size=", StringComparison.Ordinal))
        {
            return;
        }

        if (line.StartsWith("Stream map", StringComparison.Ordinal) && line.Contains("matches no streams", StringComparison.Ordinal))
        {
            NoAudioStream = true;
            _lastError = "the input has no audio stream";
            return;
        }

        if (_inputName is not null && line.StartsWith(_inputName + ": ", StringComparison.Ordinal))
        {
            line = "input: " + line[(_inputName.Length + 2)..];
        }

        _lastError = line.Length > 300 ? line[..300] : line;
    }

    /// <summary>Why ffmpeg failed, for the caller: its last error line.</summary>
    public string Reason(int exitCode) => _lastError is { } error
        ? $"ffmpeg could not decode the input: {error}"
        : string.Create(CultureInfo.InvariantCulture, $"ffmpeg could not decode the input (exit code {exitCode})");

    [GeneratedRegex(@"^\s*Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)")]
    private static partial Regex DurationLine();
}
