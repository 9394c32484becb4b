using System.Diagnostics;
using System.Globalization;

namespace Gateway.Cli.Audio;

/// <summary>ffmpeg and ffprobe as child processes; their names can be overridden with FFMPEG / FFPROBE.</summary>
internal static class Ffmpeg
{
    public static string FfmpegPath => Environment.GetEnvironmentVariable("FFMPEG") is { Length: > 0 } p ? p : "ffmpeg";

    public static string FfprobePath => Environment.GetEnvironmentVariable("FFPROBE") is { Length: > 0 } p ? p : "ffprobe";

    /// <summary>The container's duration, or null when ffprobe cannot tell (live input, missing ffprobe).</summary>
    public static async Task<TimeSpan?> ProbeDurationAsync(string input, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(FfprobePath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["-v", "error", "-show_entries", "format=duration", "-of", "default=nw=1:nk=1", input])
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }

            process.StandardInput.Close();
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            var text = await process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            await errors;
            return process.ExitCode == 0 && double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
                ? TimeSpan.FromSeconds(seconds)
                : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
