using CliWrap;

namespace Gateway.Core.Jobs;

/// <summary>
/// Runs ffmpeg to decode any format to 16 kHz mono PCM16 and streams its output to a sink as it is produced (never
/// the whole file in memory). The process is supervised by CliWrap: cancelling kills it, and its stderr is parsed
/// by <see cref="FfmpegDiagnostics"/> for the duration and the reason of a failure.
/// </summary>
internal sealed class MediaDecoder
{
    private const int ReadBytes = 64 * 1024;

    private readonly string _ffmpeg;

    public MediaDecoder(string ffmpeg) => _ffmpeg = ffmpeg;

    /// <summary>
    /// Checks that ffmpeg can decode a stored file's audio (decodes its first half second) and returns the
    /// container's duration (zero when it does not say). Throws <see cref="MediaDecodeException"/> with ffmpeg's reason.
    /// </summary>
    public async Task<TimeSpan> ProbeAsync(string path, CancellationToken cancellationToken)
    {
        var diagnostics = new FfmpegDiagnostics(path);
        var decoded = 0L;
        await DecodeAsync(new FileTranscriptionRequest { Path = path }, (pcm, _) => { decoded += pcm.Length; return ValueTask.CompletedTask; }, diagnostics, cancellationToken, ["-t", "0.5"]);
        return diagnostics.Duration;
    }

    /// <summary>
    /// Decodes <paramref name="request"/>'s input; <paramref name="sink"/> receives PCM16LE bytes (always an even
    /// count). Throws <see cref="MediaDecodeException"/> when ffmpeg fails or finds no audio.
    /// </summary>
    public async Task DecodeAsync(
        FileTranscriptionRequest request, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> sink, FfmpegDiagnostics diagnostics, CancellationToken cancellationToken, string[]? limit = null)
    {
        var input = request.Path ?? "pipe:0";
        string[] args =
        [
            "-hide_banner", "-nostdin", "-nostats", "-v", "info",
            "-i", input,
            "-map", "0:a:0", "-vn", "-sn", "-dn", .. limit ?? [],
            "-ac", "1", "-ar", "16000", "-f", "s16le", "-acodec", "pcm_s16le", "pipe:1",
        ];
        var produced = 0L;
        var command = Cli.Wrap(_ffmpeg)
            .WithArguments(args)
            .WithValidation(CommandResultValidation.None)
            .WithStandardErrorPipe(PipeTarget.ToDelegate(diagnostics.Add))
            .WithStandardOutputPipe(PipeTarget.Create(async (stdout, ct) =>
            {
                var buffer = new byte[ReadBytes];
                var held = 0; // an odd trailing byte waits for its pair
                int read;
                while ((read = await stdout.ReadAsync(buffer.AsMemory(held), ct)) > 0)
                {
                    var total = held + read;
                    var even = total & ~1;
                    if (even > 0)
                    {
                        await sink(buffer.AsMemory(0, even), ct);
                        produced += even;
                    }

                    held = total - even;
                    if (held > 0)
                    {
                        buffer[0] = buffer[even];
                    }
                }
            }));
        if (request.Input is { } stream)
        {
            command = command.WithStandardInputPipe(PipeSource.FromStream(stream));
        }

        var result = await command.ExecuteAsync(cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new MediaDecodeException(diagnostics.Reason(result.ExitCode), unsupported: !diagnostics.InputRecognised);
        }

        if (produced == 0)
        {
            throw new MediaDecodeException("ffmpeg could not decode the input: it holds no audio samples", unsupported: false);
        }
    }
}
