using System.Diagnostics;
using System.Runtime.InteropServices;
using Gateway.FunctionalTests.Infrastructure;
using NAudio.Wave;

namespace Gateway.Cli.Tests.Infrastructure;

/// <summary>Test media: the watermarked fixture as a WAV, and ffmpeg conversions of it.</summary>
internal static class Media
{
    /// <summary>Writes 16 kHz mono PCM16 as a WAV (NAudio).</summary>
    public static string WriteWav(string path, short[] samples)
    {
        using var writer = new WaveFileWriter(path, new WaveFormat(16_000, 16, 1));
        writer.Write(MemoryMarshal.AsBytes(samples.AsSpan()));
        return path;
    }

    public static string WatermarkedWav(TempDirectory dir) => WriteWav(dir.File("speech.wav"), SpeechFixture.ThreeUtterances.Samples);

    /// <summary>Runs ffmpeg with these arguments and fails the test with its stderr when it fails.</summary>
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
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(process.ExitCode == 0, $"ffmpeg {string.Join(' ', args)} failed: {await errors}");
    }
}
