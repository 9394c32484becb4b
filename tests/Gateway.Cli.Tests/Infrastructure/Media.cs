using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Gateway.FunctionalTests.Infrastructure;

namespace Gateway.Cli.Tests.Infrastructure;

/// <summary>Test media: the watermarked fixture as a WAV, and ffmpeg conversions of it.</summary>
internal static class Media
{
    /// <summary>Writes 16 kHz mono PCM16 as a canonical 44-byte-header WAV.</summary>
    public static string WriteWav(string path, short[] samples)
    {
        var data = MemoryMarshal.AsBytes(samples.AsSpan());
        var header = new byte[44];
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), 36 + data.Length);
        "WAVEfmt "u8.CopyTo(header.AsSpan(8));
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(16), 16);
        BinaryPrimitives.WriteInt16LittleEndian(header.AsSpan(20), 1);
        BinaryPrimitives.WriteInt16LittleEndian(header.AsSpan(22), 1);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(24), 16000);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(28), 32000);
        BinaryPrimitives.WriteInt16LittleEndian(header.AsSpan(32), 2);
        BinaryPrimitives.WriteInt16LittleEndian(header.AsSpan(34), 16);
        "data"u8.CopyTo(header.AsSpan(36));
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(40), data.Length);
        using var file = File.Create(path);
        file.Write(header);
        file.Write(data);
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
