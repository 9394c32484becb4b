using System.Diagnostics;
using System.Text;

namespace Gateway.Core.Audio;

/// <summary>
/// A running ffmpeg turning a containerised stream (WAV, WebM/Opus from MediaRecorder, Ogg, MP3...) written to its
/// stdin into 16 kHz PCM16 on stdout, interleaved with <c>channels</c> channels. Probing is kept small so live audio
/// starts flowing after a few KB rather than ffmpeg's default 5 MB; stderr is drained (a full pipe would stall
/// ffmpeg) and its last lines kept for the error report.
/// </summary>
internal sealed class FfmpegTranscoder : IAsyncDisposable
{
    private const int KeptErrorBytes = 2_000;
    private readonly Process _process;
    private readonly StringBuilder _errors = new();
    private readonly Task _drainErrors;

    private FfmpegTranscoder(Process process)
    {
        _process = process;
        _drainErrors = DrainErrorsAsync();
    }

    public Stream Input => _process.StandardInput.BaseStream;

    public Stream Output => _process.StandardOutput.BaseStream;

    /// <summary>Starts ffmpeg; null (and the reason) when it cannot be started.</summary>
    public static FfmpegTranscoder? TryStart(string ffmpegPath, int channels, out string? error)
    {
        var start = new ProcessStartInfo(ffmpegPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "-hide_banner", "-nostdin", "-loglevel", "error", "-probesize", "32768", "-analyzeduration", "0",
            "-i", "pipe:0", "-vn", "-f", "s16le", "-acodec", "pcm_s16le", "-ac", channels.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-ar", "16000", "-flush_packets", "1", "pipe:1",
        })
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            error = null;
            return new FfmpegTranscoder(Process.Start(start)!);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            error = $"could not start {ffmpegPath}: {ex.Message}";
            return null;
        }
    }

    /// <summary>The input is complete: ffmpeg decodes what is left, then ends its output.</summary>
    public void CompleteInput()
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // ffmpeg already exited (bad data): its exit code says why.
        }
    }

    /// <summary>Waits for ffmpeg to exit; its exit code and last stderr text.</summary>
    public async Task<(int ExitCode, string Errors)> WaitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        await _drainErrors;
        lock (_errors)
        {
            return (_process.ExitCode, _errors.ToString().Trim());
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // exited meanwhile
            }
        }

        try
        {
            await _drainErrors;
        }
        catch (IOException)
        {
        }

        _process.Dispose();
    }

    private async Task DrainErrorsAsync()
    {
        var buffer = new char[1024];
        int read;
        while ((read = await _process.StandardError.ReadAsync(buffer)) > 0)
        {
            lock (_errors)
            {
                _errors.Append(buffer, 0, read);
                if (_errors.Length > KeptErrorBytes)
                {
                    _errors.Remove(0, _errors.Length - KeptErrorBytes);
                }
            }
        }
    }
}
