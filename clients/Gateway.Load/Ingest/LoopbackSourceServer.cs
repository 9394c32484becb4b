using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using NAudio.Wave;

namespace Gateway.Load.Ingest;

/// <summary>
/// The ingests' sources on loopback, a minimal HTTP/1.1 server (one response per connection, then close):
/// <c>GET /live/{n}.wav</c> is a live radio-like stream (a WAV header with no length, then the program's PCM in real
/// time from where the program is now: it started at the source's first request and runs on the wall clock, so a
/// reconnect resumes live), and <c>GET /hls/{file}</c> serves the HLS origin's folder.
/// </summary>
internal sealed class LoopbackSourceServer : IAsyncDisposable
{
    private const int ChunkBytes = 3_200; // 100 ms
    private static readonly byte[] LiveHeader = WavHeader();
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentDictionary<int, long> _started = new();
    private readonly byte[] _program;
    private readonly string _hlsFolder;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public LoopbackSourceServer(short[] program, string hlsFolder)
    {
        _program = MemoryMarshal.AsBytes(program.AsSpan()).ToArray();
        _hlsFolder = hlsFolder;
        _listener.Start(512);
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public Uri LiveUrl(int n) => new($"http://127.0.0.1:{Port}/live/{n}.wav");

    public Uri HlsUrl => new($"http://127.0.0.1:{Port}/hls/index.m3u8");

    /// <summary>When live source <paramref name="n"/> started its program (Stopwatch ticks), if it was requested.</summary>
    public long? StartedAt(int n) => _started.TryGetValue(n, out var at) ? at : null;

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = Task.Run(() => ServeAsync(client));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // stopped
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                client.NoDelay = true;
                var stream = client.GetStream();
                var path = await ReadRequestPathAsync(stream, _stop.Token);
                if (path is not null && path.StartsWith("/live/", StringComparison.Ordinal) && path.EndsWith(".wav", StringComparison.Ordinal)
                    && int.TryParse(path.AsSpan(6, path.Length - 10), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                {
                    await LiveAsync(stream, n);
                }
                else if (path is not null && path.StartsWith("/hls/", StringComparison.Ordinal) && Path.GetFileName(path) is { Length: > 0 } name
                    && File.Exists(Path.Combine(_hlsFolder, name)))
                {
                    var body = await File.ReadAllBytesAsync(Path.Combine(_hlsFolder, name), _stop.Token);
                    var type = name.EndsWith(".m3u8", StringComparison.Ordinal) ? "application/vnd.apple.mpegurl" : "application/octet-stream";
                    await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: {type}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n"), _stop.Token);
                    await stream.WriteAsync(body, _stop.Token);
                }
                else
                {
                    await stream.WriteAsync("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), _stop.Token);
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // the client went away, or we stop
            }
        }
    }

    private async Task LiveAsync(NetworkStream stream, int n)
    {
        var started = _started.GetOrAdd(n, _ => Stopwatch.GetTimestamp());
        await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: audio/wav\r\nConnection: close\r\n\r\n"u8.ToArray(), _stop.Token);
        await stream.WriteAsync(LiveHeader, _stop.Token);
        var silence = new byte[ChunkBytes];
        // From where the program is now, in real time, never ahead of the wall clock.
        var sent = (long)(Stopwatch.GetElapsedTime(started).TotalSeconds * 32_000) & ~1L;
        while (!_stop.IsCancellationRequested)
        {
            var due = TimeSpan.FromSeconds(sent / 32_000.0) - Stopwatch.GetElapsedTime(started);
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, _stop.Token);
            }

            ReadOnlyMemory<byte> data = sent < _program.Length ? _program.AsMemory((int)sent, (int)Math.Min(ChunkBytes, _program.Length - sent)) : silence;
            await stream.WriteAsync(data, _stop.Token);
            sent += data.Length;
        }
    }

    private static async Task<string?> ReadRequestPathAsync(NetworkStream stream, CancellationToken token)
    {
        var buffer = new byte[4096];
        var count = 0;
        while (count < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(count), token);
            if (read == 0)
            {
                return null;
            }

            count += read;
            if (buffer.AsSpan(0, count).IndexOf("\r\n\r\n"u8) >= 0)
            {
                var line = Encoding.ASCII.GetString(buffer, 0, buffer.AsSpan(0, count).IndexOf("\r\n"u8));
                var parts = line.Split(' ');
                return parts.Length >= 2 && parts[0] == "GET" ? parts[1].Split('?')[0] : null;
            }
        }

        return null;
    }

    /// <summary>NAudio's 16 kHz mono PCM16 header before any data: sizes 0, which ffmpeg reads as "until the stream ends".</summary>
    private static byte[] WavHeader()
    {
        using var buffer = new MemoryStream();
        using var writer = new WaveFileWriter(buffer, new WaveFormat(16_000, 16, 1));
        writer.Write([], 0, 0); // the data chunk's header is written with the first write
        return buffer.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
