using Gateway.Core.Segmentation;
using Gateway.Core.Vad;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Jobs;

/// <summary>
/// The file path through the engine: ffmpeg (<see cref="MediaDecoder"/>) → ring → shared VAD → segmenter
/// (<see cref="FileAudio"/>) → segments on the upstream pool through <see cref="JobConnectionScheduler"/>, several
/// at once per recording (bounded by <see cref="JobsOptions.MaxSegmentsInFlightPerJob"/>), reassembled in order.
/// </summary>
/// <remarks>
/// A file's segments are complete before they are sent (unlike live speech, nobody waits for partials), so each
/// goes up in a few large frames and only its final is read. Thread-safe; one instance serves every transcription.
/// </remarks>
internal sealed class FileTranscriber : IFileTranscriber
{
    private readonly VadScheduler _vad;
    private readonly JobConnectionScheduler _scheduler;
    private readonly JobsOptions _options;
    private readonly SegmenterOptions _segmenter;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly MediaDecoder _decoder;

    public FileTranscriber(
        VadScheduler vad,
        JobConnectionScheduler scheduler,
        IOptions<JobsOptions> options,
        IOptions<SegmenterOptions> segmenter,
        TimeProvider time,
        ILogger<FileTranscriber> logger)
    {
        _vad = vad;
        _scheduler = scheduler;
        _options = options.Value;
        _segmenter = segmenter.Value;
        _time = time;
        _logger = logger;
        _decoder = new MediaDecoder(_options.FfmpegPath);
    }

    public async Task<FileTranscription> TranscribeAsync(FileTranscriptionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if ((request.Path is null) == (request.Input is null))
        {
            throw new ArgumentException("Exactly one of Path and Input must be set.", nameof(request));
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var settings = request.Segmenter ?? SegmenterSettings.FromOptions(_segmenter);
        var run = new FileRun(request, _options);
        using var audio = new FileAudio(settings, _vad, maxPending: _options.MaxSegmentsInFlightPerJob * 2);
        var diagnostics = new FfmpegDiagnostics(request.Path ?? "pipe:0");
        var decoding = DecodeAsync(request, audio, diagnostics, stop.Token);
        var segments = new List<Task>();
        using var slots = new SemaphoreSlim(_options.MaxSegmentsInFlightPerJob);
        try
        {
            await foreach (var pending in audio.Segments.ReadAllAsync(stop.Token))
            {
                audio.Taken();
                run.Announced(pending.Segment);
                Report(run, audio, diagnostics);
                if (run.TryResume(pending.Segment))
                {
                    pending.Dispose();
                    Report(run, audio, diagnostics);
                    continue;
                }

                await slots.WaitAsync(stop.Token);
                segments.Add(RunSegmentAsync(run, pending, audio, diagnostics, slots, stop));
            }

            await Task.WhenAll(segments);
        }
        catch
        {
            await stop.CancelAsync();
            await Task.WhenAll(segments.Append(decoding)).ContinueWith(static _ => { }, TaskScheduler.Default);
            // The decoder's reason beats the cancellation it caused downstream.
            if (decoding.IsFaulted && decoding.Exception!.InnerException is MediaDecodeException decode)
            {
                throw decode;
            }

            var failed = segments.FirstOrDefault(s => s.IsFaulted && s.Exception!.InnerException is FileTranscriptionException);
            if (failed is not null)
            {
                throw failed.Exception!.InnerException!;
            }

            throw;
        }

        await decoding;
        var duration = SegmentTime.ToTime(audio.Written);
        request.Progress?.Invoke(new FileTranscriptionProgress(duration, duration));
        return new FileTranscription(duration, run.InOrder());
    }

    private async Task DecodeAsync(FileTranscriptionRequest request, FileAudio audio, FfmpegDiagnostics diagnostics, CancellationToken cancellationToken)
    {
        try
        {
            await _decoder.DecodeAsync(request, audio.WriteAsync, diagnostics, cancellationToken);
            await audio.CompleteAsync(cancellationToken);
        }
        catch (Exception ex)
        {
            audio.Fail(ex);
            throw;
        }
    }

    private async Task RunSegmentAsync(FileRun run, PendingSegment pending, FileAudio audio, FfmpegDiagnostics diagnostics, SemaphoreSlim slots, CancellationTokenSource stop)
    {
        try
        {
            var transcriber = new SegmentTranscriber(_scheduler, _options, _time, _logger);
            var segment = await transcriber.TranscribeAsync(run, pending, stop.Token);
            if (run.Request.SegmentCompleted is { } persist)
            {
                await persist(segment, stop.Token);
            }

            run.Finished(segment);
            Report(run, audio, diagnostics);
        }
        catch
        {
            await stop.CancelAsync(); // one failed segment fails the recording: stop ffmpeg and the others
            throw;
        }
        finally
        {
            pending.Dispose();
            slots.Release();
        }
    }

    private static void Report(FileRun run, FileAudio audio, FfmpegDiagnostics diagnostics)
    {
        var duration = diagnostics.Duration > TimeSpan.Zero ? diagnostics.Duration : SegmentTime.ToTime(audio.Written);
        var done = run.DonePosition(audio.SegmentedPosition);
        run.Ticket.RemainingSamples = (duration.Ticks / (TimeSpan.TicksPerSecond / SegmentTime.SampleRate)) - done;
        run.Request.Progress?.Invoke(new FileTranscriptionProgress(SegmentTime.ToTime(done), duration));
    }
}
