using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.InteropServices;

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

        return WriteWav(File(name), samples);
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
        using var file = System.IO.File.Create(path);
        file.Write(header);
        file.Write(data);
        return path;
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
