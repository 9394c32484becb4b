using System.Diagnostics;
using System.Runtime.InteropServices;
using Gateway.Load.Audio;

namespace Gateway.Load.Jobs;

/// <summary>
/// The recording every job of a run transcribes: the fixture's utterances back to back with silence (speech is
/// <c>talkRatio</c> of it), each word watermarked, streamed into ffmpeg as it is made and stored as 16 kHz mono FLAC
/// (lossless, so the watermarks survive; an hour is a few MB instead of a 115 MB WAV, and nothing is kept in memory).
/// </summary>
internal static class JobFile
{
    public static async Task<string> CreateAsync(SpeechFixture fixture, TimeSpan length, double talkRatio, int endpointSilenceMs, string folder, CancellationToken token)
    {
        var path = Path.Combine(folder, $"job-{length.TotalSeconds:0}s.flac");
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])["-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-f", "s16le", "-ar", "16000", "-ac", "1", "-i", "pipe:0", "-c:a", "flac", path])
        {
            start.ArgumentList.Add(a);
        }

        using var ffmpeg = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg could not be started to write the job file");
        var errors = ffmpeg.StandardError.ReadToEndAsync(token);
        var factory = new UtteranceFactory(fixture, talkRatio, (endpointSilenceMs + 1000) * 16, 0);
        var input = ffmpeg.StandardInput.BaseStream;
        var remaining = (long)(length.TotalSeconds * 16_000);
        while (remaining > 0)
        {
            var samples = factory.Next().Samples;
            var take = (int)Math.Min(samples.Length, remaining);
            await input.WriteAsync(MemoryMarshal.AsBytes(samples.AsSpan(0, take)).ToArray(), token);
            remaining -= take;
        }

        input.Close();
        await ffmpeg.WaitForExitAsync(token);
        return ffmpeg.ExitCode == 0 ? path : throw new InvalidOperationException($"ffmpeg could not write the job file: {await errors}");
    }
}
