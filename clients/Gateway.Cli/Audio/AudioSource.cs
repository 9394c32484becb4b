using System.Globalization;

namespace Gateway.Cli.Audio;

/// <summary>An ffmpeg input: the arguments before <c>-i</c>, the input, and whether the source paces itself (live).</summary>
internal sealed record AudioSource(string Input, IReadOnlyList<string> InputArguments, bool IsLive, TimeSpan? Duration = null)
{
    /// <summary>A file in any format ffmpeg reads.</summary>
    public static AudioSource File(string path) => new(path, [], IsLive: false);

    /// <summary>A network stream (RTSP, HLS, HTTP, …); RTSP over TCP interleaving unless told otherwise.</summary>
    public static AudioSource Stream(Uri url, string rtspTransport, TimeSpan? duration)
    {
        var arguments = new List<string>();
        if (url.Scheme is "rtsp" or "rtsps")
        {
            arguments.AddRange(["-rtsp_transport", rtspTransport]);
        }

        return new AudioSource(url.ToString(), arguments, IsLive: true, duration);
    }

    /// <summary>A capture device through an ffmpeg input format (<c>pulse</c>, <c>alsa</c>, <c>avfoundation</c>, <c>dshow</c>, …).</summary>
    public static AudioSource Device(string inputFormat, string device, TimeSpan? duration) =>
        new(device, ["-f", inputFormat], IsLive: true, duration);

    /// <summary>ffmpeg arguments that decode the input to raw 16 kHz mono PCM16 on stdout.</summary>
    public IReadOnlyList<string> FfmpegArguments()
    {
        var arguments = new List<string> { "-hide_banner", "-nostdin", "-loglevel", "error" };
        arguments.AddRange(InputArguments);
        arguments.AddRange(["-i", Input]);
        if (Duration is { } duration)
        {
            arguments.AddRange(["-t", duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)]);
        }

        // -ac 1 down-mixes, -ar resamples (ffmpeg's swr low-pass filters), -vn drops any video.
        arguments.AddRange(["-vn", "-ac", "1", "-ar", AudioFormat.SampleRate.ToString(CultureInfo.InvariantCulture), "-f", "s16le", "-"]);
        return arguments;
    }
}
