using System.Diagnostics;

namespace Gateway.Load.Ingest;

/// <summary>
/// A live HLS channel: ffmpeg encodes the program in real time (<c>-re</c>) into 2 s fMP4 segments of 16 kHz mono
/// FLAC (lossless, so the words' watermarks survive and every final can be traced to when it was spoken) and a
/// playlist that grows without an ENDLIST. Every HLS ingest of the run pulls this one channel, as viewers of one CDN do.
/// </summary>
internal sealed class HlsOrigin : IAsyncDisposable
{
    private readonly Process _ffmpeg;

    private HlsOrigin(Process ffmpeg, long startedAt)
    {
        _ffmpeg = ffmpeg;
        StartedAt = startedAt;
    }

    /// <summary>When the program's sample 0 went live (Stopwatch ticks; ffmpeg's start-up makes it a few ms early).</summary>
    public long StartedAt { get; }

    public int ProcessId => _ffmpeg.Id;

    public static async Task<HlsOrigin> StartAsync(string wav, string folder, CancellationToken token)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in (string[])["-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-re", "-i", wav, "-c:a", "flac", "-strict", "-2",
            "-f", "hls", "-hls_segment_type", "fmp4", "-hls_time", "2", "-hls_list_size", "10", "-hls_flags", "omit_endlist+delete_segments",
            "-hls_segment_filename", Path.Combine(folder, "seg%05d.m4s"), Path.Combine(folder, "index.m3u8")])
        {
            start.ArgumentList.Add(a);
        }

        var startedAt = Stopwatch.GetTimestamp();
        var ffmpeg = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg could not be started for the HLS origin");
        _ = ffmpeg.StandardError.ReadToEndAsync(token);
        _ = ffmpeg.StandardOutput.ReadToEndAsync(token);
        var origin = new HlsOrigin(ffmpeg, startedAt);

        // Live: the ingests join a playlist that already has a few segments, at its live edge, as players do.
        var playlist = Path.Combine(folder, "index.m3u8");
        var clock = Stopwatch.StartNew();
        while (!File.Exists(playlist) || File.ReadAllText(playlist).Split("#EXTINF").Length < 4)
        {
            if (ffmpeg.HasExited || clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                await origin.DisposeAsync();
                throw new InvalidOperationException("the HLS origin did not write a playlist of 3 segments within 30 s");
            }

            await Task.Delay(100, token);
        }

        return origin;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _ffmpeg.Kill();
            await _ffmpeg.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        _ffmpeg.Dispose();
    }
}
