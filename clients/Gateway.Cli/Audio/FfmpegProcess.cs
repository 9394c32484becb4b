using System.Diagnostics;

namespace Gateway.Cli.Audio;

/// <summary>
/// A running ffmpeg decoding one <see cref="AudioSource"/> to raw PCM on stdout. stderr is drained continuously
/// (a full pipe would stall ffmpeg) and its last lines are kept for the error report.
/// </summary>
internal sealed class FfmpegProcess : IAsyncDisposable
{
    private const int KeptErrorLines = 8;
    private readonly Process _process;
    private readonly Queue<string> _errors = new();
    private readonly Task _drainErrors;

    private FfmpegProcess(Process process)
    {
        _process = process;
        _drainErrors = DrainErrorsAsync();
    }

    /// <summary>Raw 16 kHz mono PCM16 little-endian.</summary>
    public Stream Output => _process.StandardOutput.BaseStream;

    /// <summary>Starts ffmpeg; throws <see cref="FfmpegException"/> when it cannot be started.</summary>
    public static FfmpegProcess Start(AudioSource source)
    {
        var start = new ProcessStartInfo(Ffmpeg.FfmpegPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in source.FfmpegArguments())
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            return new FfmpegProcess(Process.Start(start) ?? throw new FfmpegException($"could not start {Ffmpeg.FfmpegPath}"));
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new FfmpegException($"could not start {Ffmpeg.FfmpegPath} ({ex.Message}); install ffmpeg or set FFMPEG", ex);
        }
    }

    /// <summary>Waits for ffmpeg to exit after its output ended; returns its exit code and its last stderr lines.</summary>
    public async Task<(int ExitCode, string Errors)> WaitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        await _drainErrors;
        lock (_errors)
        {
            return (_process.ExitCode, string.Join(Environment.NewLine, _errors));
        }
    }

    /// <summary>Stops ffmpeg now (user interrupt, session over).</summary>
    public void Stop()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        Stop();
        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
            await _drainErrors.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            // The process object is released below either way.
        }

        _process.Dispose();
    }

    private async Task DrainErrorsAsync()
    {
        while (await _process.StandardError.ReadLineAsync() is { } line)
        {
            lock (_errors)
            {
                _errors.Enqueue(line);
                if (_errors.Count > KeptErrorLines)
                {
                    _errors.Dequeue();
                }
            }
        }
    }
}
