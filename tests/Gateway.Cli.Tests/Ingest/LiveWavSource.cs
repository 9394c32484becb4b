using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NAudio.Wave;

namespace Gateway.Cli.Tests.Ingest;

/// <summary>
/// A live radio-like source on loopback: <c>GET /live.wav</c> streams a WAV header and then 16 kHz mono PCM16 in
/// real time (the current program, then silence), as long as the source is up. <see cref="Down"/> resets every
/// connection and refuses new ones (503) until <see cref="Up"/> starts a new program; optionally garbage.
/// </summary>
internal sealed class LiveWavSource : IAsyncDisposable
{
    /// <summary>
    /// NAudio's header for 16 kHz mono PCM16 as it stands before any data: RIFF and data sizes 0, which ffmpeg's WAV
    /// demuxer reads as "until the stream ends" (a live WAV has no length).
    /// </summary>
    private static readonly byte[] LiveHeader = WriteHeader();

    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly List<HttpContext> _listeners = [];
    private short[] _program;
    private bool _down;
    private int _garbageAfterMs = -1;

    private LiveWavSource(WebApplication app, short[] program)
    {
        _app = app;
        _program = program;
    }

    public Uri Url { get; private set; } = null!;

    public int Requests { get; private set; }

    public static async Task<LiveWavSource> StartAsync(short[] program)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var source = new LiveWavSource(app, program);
        app.MapGet("/live.wav", source.ServeAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        source.Url = new Uri(new Uri(address), "/live.wav");
        return source;
    }

    /// <summary>The source drops: open connections are reset, new ones refused.</summary>
    public void Down()
    {
        lock (_lock)
        {
            _down = true;
            foreach (var listener in _listeners)
            {
                listener.Abort();
            }

            _listeners.Clear();
        }
    }

    public void Up(short[] program)
    {
        lock (_lock)
        {
            _program = program;
            _down = false;
        }
    }

    /// <summary>After this much of the program, the stream carries random bytes instead of audio (a broken encoder).</summary>
    public void GarbageAfter(int ms) => _garbageAfterMs = ms;

    private async Task ServeAsync(HttpContext context)
    {
        short[] program;
        lock (_lock)
        {
            Requests++;
            if (_down)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }

            program = _program;
            _listeners.Add(context);
        }

        context.Response.ContentType = "audio/wav";
        var header = LiveHeader;
        var bytes = MemoryMarshal.AsBytes(program.AsSpan()).ToArray();
        const int chunk = 3200; // 100 ms
        var silence = new byte[chunk];
        var garbage = new byte[chunk];
        try
        {
            await context.Response.Body.WriteAsync(header, context.RequestAborted);
            var started = TimeProvider.System.GetTimestamp();
            for (long sent = 0; !context.RequestAborted.IsCancellationRequested; sent += chunk)
            {
                // Real time: never ahead of the wall clock.
                var due = TimeSpan.FromMilliseconds(sent / 32.0) - TimeProvider.System.GetElapsedTime(started);
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, context.RequestAborted);
                }

                ReadOnlyMemory<byte> data = sent < bytes.Length ? bytes.AsMemory((int)sent, (int)Math.Min(chunk, bytes.Length - sent)) : silence;
                if (_garbageAfterMs >= 0 && sent / 32 >= _garbageAfterMs)
                {
                    Random.Shared.NextBytes(garbage);
                    data = garbage;
                }

                await context.Response.Body.WriteAsync(data, context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
        {
            // Dropped by Down() or by the client.
        }
        finally
        {
            lock (_lock)
            {
                _listeners.Remove(context);
            }
        }
    }

    private static byte[] WriteHeader()
    {
        using var buffer = new MemoryStream();
        using var writer = new WaveFileWriter(buffer, new WaveFormat(16_000, 16, 1));
        writer.Write([], 0, 0); // the data chunk's header is written with the first write
        return buffer.ToArray(); // before the writer's dispose fills in the sizes (it leaves a caller-supplied stream open)
    }

    public async ValueTask DisposeAsync()
    {
        Down();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
