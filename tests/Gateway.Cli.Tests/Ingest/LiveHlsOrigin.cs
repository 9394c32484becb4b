using System.Diagnostics;
using Gateway.Cli.Tests.Infrastructure;

namespace Gateway.Cli.Tests.Ingest;

/// <summary>
/// A live HLS origin: ffmpeg encodes a WAV in real time (<c>-re</c>) into a growing playlist of 1 s fMP4 segments
/// (no ENDLIST, as a live channel), served by Kestrel on loopback.
/// </summary>
internal sealed class LiveHlsOrigin : IAsyncDisposable
{
    private readonly Process _ffmpeg;
    private readonly StaticHttpServer _http;

    private LiveHlsOrigin(Process ffmpeg, StaticHttpServer http)
    {
        _ffmpeg = ffmpeg;
        _http = http;
    }

    public Uri Playlist => new(_http.Url, "index.m3u8");

    /// <param name="audio">ffmpeg output options for the audio (codec, rate, channels).</param>
    public static async Task<LiveHlsOrigin> StartAsync(string wav, string folder, params string[] audio)
    {
        Directory.CreateDirectory(folder);
        var http = await StaticHttpServer.StartAsync(folder);
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in (string[])["-hide_banner", "-loglevel", "error", "-y", "-re", "-i", wav, .. audio, "-strict", "-2",
            "-f", "hls", "-hls_segment_type", "fmp4", "-hls_time", "1", "-hls_list_size", "0", "-hls_flags", "omit_endlist",
            "-hls_segment_filename", Path.Combine(folder, "seg%03d.m4s"), Path.Combine(folder, "index.m3u8")])
        {
            start.ArgumentList.Add(a);
        }

        var ffmpeg = Process.Start(start)!;
        _ = ffmpeg.StandardError.ReadToEndAsync();
        _ = ffmpeg.StandardOutput.ReadToEndAsync();
        return new LiveHlsOrigin(ffmpeg, http);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _ffmpeg.Kill();
        }
        catch (InvalidOperationException)
        {
            // Already done.
        }

        await _ffmpeg.WaitForExitAsync();
        _ffmpeg.Dispose();
        await _http.DisposeAsync();
    }
}
