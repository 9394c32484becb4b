using System.Diagnostics;

namespace Gateway.FunctionalTests.Infrastructure;

/// <summary>Recordings for job tests: the watermarked fixture as WAV, and ffmpeg conversions of it, in a temporary directory.</summary>
public sealed class JobMedia : IDisposable
{
    public JobMedia()
    {
        Directory = Path.Combine(Path.GetTempPath(), "gateway-jobs-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string File(string name) => Path.Combine(Directory, name);

    /// <summary>The three-utterance fixture, repeated <paramref name="times"/> times, as a 16 kHz mono WAV.</summary>
    public string Wav(string name = "speech.wav", int times = 1)
    {
        var one = SpeechFixture.ThreeUtterances.Samples;
        var samples = new short[one.Length * times];
        for (var i = 0; i < times; i++)
        {
            one.CopyTo(samples, i * one.Length);
        }

        return Infrastructure.Wav.Write(File(name), samples);
    }

    /// <summary>Converts with ffmpeg (arguments between input and output), failing the test with ffmpeg's stderr.</summary>
    public async Task<string> ConvertAsync(string input, string output, params string[] codecArgs)
    {
        await FfmpegAsync(["-i", input, .. codecArgs, File(output)]);
        return File(output);
    }

    public static async Task FfmpegAsync(params string[] args)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in (string[])["-hide_banner", "-nostdin", "-loglevel", "error", "-y", .. args])
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(process.ExitCode == 0, $"ffmpeg {string.Join(' ', args)} failed: {await errors}");
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
