using Gateway.Core.Auth;
using System.Text.Json;
using Gateway.Core.Dispatch;
using Gateway.Core.Fetching;
using Gateway.Core.Jobs;
using Gateway.Core.Jobs.Store;
using Gateway.Core.Results;
using Gateway.Core.Segmentation;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Protocols.Deepgram;

/// <summary>
/// Prerecorded <c>POST /v1/listen</c> (docs/deepgram.md): the body (raw audio of the declared encoding, or any
/// container) or the file at <c>{"url"}</c> is spooled to disk against <see cref="DeepgramOptions.PrerecordedMaxBytes"/>,
/// probed, and transcribed by the file engine at live priority while the caller waits; a recording longer than
/// <see cref="DeepgramOptions.PrerecordedMaxDuration"/> becomes a file job instead (202 with its id).
/// </summary>
public sealed class DeepgramPrerecorded
{
    private const int SampleRate = 16_000;

    private readonly IFileTranscriber _transcriber;
    private readonly JobService _jobs;
    private readonly SafeFetcher _fetcher;
    private readonly DeepgramOptions _options;
    private readonly SegmenterOptions _segmenter;
    private readonly MediaDecoder _probe;
    private readonly TimeProvider _time;

    public DeepgramPrerecorded(
        IFileTranscriber transcriber,
        JobService jobs,
        SafeFetcher fetcher,
        IOptions<DeepgramOptions> options,
        IOptions<SegmenterOptions> segmenter,
        IOptions<JobsOptions> jobsOptions,
        TimeProvider time)
    {
        _transcriber = transcriber;
        _jobs = jobs;
        _fetcher = fetcher;
        _options = options.Value;
        _segmenter = segmenter.Value;
        _probe = new MediaDecoder(jobsOptions.Value.FfmpegPath);
        _time = time;
    }

    public long MaxBytes => _options.PrerecordedMaxBytes;

    /// <param name="takeJob">
    /// Asked once, only when the recording becomes a file job: takes one of the caller's <c>JobsPerHour</c> or
    /// returns the 429 refusal (auth on; null when nothing is counted). Only then is it known whether a job is made.
    /// </param>
    public Task<PrerecordedReply> FromBodyAsync(DeepgramListen listen, Stream body, CancellationToken cancellationToken, Func<AuthRefusal?>? takeJob = null) =>
        RunAsync(listen, (spool, ct) => CopyLimitedAsync(body, spool, _options.PrerecordedMaxBytes, ct), takeJob, cancellationToken);

    /// <inheritdoc cref="FromBodyAsync" path="/param[@name='takeJob']"/>
    public Task<PrerecordedReply> FromUrlAsync(DeepgramListen listen, string url, CancellationToken cancellationToken, Func<AuthRefusal?>? takeJob = null) =>
        RunAsync(listen, (spool, ct) => _fetcher.CopyToAsync(url, spool, _options.PrerecordedMaxBytes, ct), takeJob, cancellationToken);

    private async Task<PrerecordedReply> RunAsync(DeepgramListen listen, Func<Stream, CancellationToken, Task<long>> copy, Func<AuthRefusal?>? takeJob, CancellationToken cancellationToken)
    {
        if (listen.Multichannel)
        {
            return PrerecordedReply.Refused(400, "INVALID_QUERY_PARAMETER", "multichannel=true is supported for live streams only; prerecorded audio is mixed to mono without it");
        }

        if (!SegmenterSettings.TryResolve(_segmenter, listen.Settings.Segmentation, out var segmentation, out var segmentationError))
        {
            return PrerecordedReply.Refused(400, "INVALID_QUERY_PARAMETER", segmentationError!);
        }

        var created = _time.GetUtcNow();
        long copied;
        var path = _jobs.Directory.NewTempFile();
        try
        {
            await using (var spool = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true))
            {
                if (!listen.Containerised)
                {
                    var raw = listen.Settings.Format;
                    await spool.WriteAsync(RawAudioWav.Header(raw.Encoding, raw.SampleRate, raw.Channels), cancellationToken);
                }

                try
                {
                    copied = await copy(spool, cancellationToken);
                    if (copied == 0)
                    {
                        return PrerecordedReply.Refused(400, "Bad Request", "the request has no audio: send it as the body, or JSON {\"url\": ...}");
                    }
                }
                catch (FetchRefusedException ex)
                {
                    return PrerecordedReply.Refused(ex.TooLarge ? 413 : 400, ex.TooLarge ? "PAYLOAD_TOO_LARGE" : "REMOTE_CONTENT_ERROR", ex.Message);
                }
            }

            // Raw audio's length is its size; a container says its own (zero when it does not, as MediaRecorder's WebM).
            var format = listen.Settings.Format;
            TimeSpan duration;
            try
            {
                duration = listen.Containerised
                    ? await _probe.ProbeAsync(path, cancellationToken)
                    : TimeSpan.FromSeconds(copied / (double)(format.SampleRate * format.FrameBytes));
            }
            catch (MediaDecodeException ex)
            {
                return PrerecordedReply.Refused(400, "Bad Request", $"failed to process audio: corrupt or unsupported data ({ex.Message})");
            }

            if (duration > _options.PrerecordedMaxDuration)
            {
                // Counted like POST /api/v1/asr/submit: a queued file job is one of the key's jobs this hour.
                if (takeJob?.Invoke() is { } overJobs)
                {
                    return PrerecordedReply.Refused(overJobs.Status, overJobs.Code, $"{overJobs.Message}; the recording is longer than {_options.PrerecordedMaxDuration.TotalSeconds:0} s and would be a file job", overJobs.RetryAfter);
                }

                return await SubmitJobAsync(listen, path, duration, cancellationToken);
            }

            var transcription = await _transcriber.TranscribeAsync(
                new FileTranscriptionRequest
                {
                    Path = path,
                    Priority = DispatchPriority.Live, // someone is waiting on the reply
                    Hotwords = listen.Settings.Hotwords,
                    Segmenter = segmentation,
                },
                cancellationToken);
            return new PrerecordedReply(200, Render(listen, created, transcription));
        }
        catch (MediaDecodeException ex)
        {
            return PrerecordedReply.Refused(400, "Bad Request", $"failed to process audio: corrupt or unsupported data ({ex.Message})");
        }
        catch (FileTranscriptionException ex)
        {
            return PrerecordedReply.Refused(503, "UPSTREAM_UNAVAILABLE", ex.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private async Task<PrerecordedReply> SubmitJobAsync(DeepgramListen listen, string path, TimeSpan duration, CancellationToken cancellationToken)
    {
        try
        {
            var (job, position) = await _jobs.SubmitAsync(
                new JobSubmission { FileName = $"listen-{listen.RequestId}", Language = listen.Settings.Language, Hotwords = listen.Settings.Hotwords },
                path,
                cancellationToken);
            using var body = new MemoryStream();
            await using (var json = new Utf8JsonWriter(body))
            {
                json.WriteStartObject();
                json.WriteString("request_id", listen.RequestId);
                json.WriteString("job_id", job.Id);
                json.WriteString("status", "queued");
                if (position is { } queued)
                {
                    json.WriteNumber("queue_position", queued);
                }

                json.WriteString("result_url", $"/api/v1/asr/result/{job.Id}");
                json.WriteString("message", $"the recording is {duration.TotalSeconds:0} s, longer than the {_options.PrerecordedMaxDuration.TotalSeconds:0} s answered synchronously (Deepgram:PrerecordedMaxDuration); it was queued as a file job");
                json.WriteEndObject();
            }

            return new PrerecordedReply(202, body.ToArray());
        }
        catch (Exception ex) when (ex is DiskQuotaExceededException or JobStoreUnavailableException)
        {
            return PrerecordedReply.Refused(413, "PAYLOAD_TOO_LARGE", $"the recording is longer than {_options.PrerecordedMaxDuration.TotalSeconds:0} s and the job store cannot take it: {ex.Message}");
        }
    }

    /// <summary>Deepgram's prerecorded response: <c>metadata</c>, <c>results.channels[0].alternatives[0]</c>, and <c>results.utterances</c> on request.</summary>
    private static byte[] Render(DeepgramListen listen, DateTimeOffset created, FileTranscription transcription)
    {
        using var body = new MemoryStream();
        using (var json = new Utf8JsonWriter(body, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteStartObject("metadata");
            DeepgramModel.WriteSummary(json, listen, created, transcription.Duration.TotalSeconds, 1);
            json.WriteEndObject();
            json.WriteStartObject("results");
            json.WriteStartArray("channels");
            json.WriteStartObject();
            json.WriteStartArray("alternatives");
            json.WriteStartObject();
            var sentences = transcription.Sentences.ToList();
            var tokens = sentences.Select(s => DeepgramWords.Tokens(s.Text)).ToList();
            json.WriteString("transcript", listen.Punctuate ? transcription.Text : DeepgramWords.Unpunctuated(tokens.SelectMany(t => t).ToList()));
            json.WriteNumber("confidence", sentences.Count > 0 ? DeepgramWords.Confidence : 0);
            json.WriteStartArray("words");
            for (var i = 0; i < sentences.Count; i++)
            {
                DeepgramWords.WriteItems(json, tokens[i], Seconds(sentences[i].StartSample), Seconds(sentences[i].EndSample), listen.Punctuate);
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            if (listen.Utterances)
            {
                WriteUtterances(json, listen, transcription.Segments);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return body.ToArray();
    }

    private static void WriteUtterances(Utf8JsonWriter json, DeepgramListen listen, IReadOnlyList<TranscribedSegment> segments)
    {
        json.WriteStartArray("utterances");
        foreach (var segment in segments.Where(s => s.Text.Length > 0))
        {
            var sentences = segment.Sentences.Count > 0 ? segment.Sentences : [new Sentence(segment.Text, segment.StartSample, segment.EndSample)];
            var tokens = sentences.Select(s => DeepgramWords.Tokens(s.Text)).ToList();
            json.WriteStartObject();
            json.WriteNumber("start", Seconds(segment.StartSample));
            json.WriteNumber("end", Seconds(segment.EndSample));
            json.WriteNumber("confidence", DeepgramWords.Confidence);
            json.WriteNumber("channel", 0);
            json.WriteString("transcript", listen.Punctuate ? segment.Text : DeepgramWords.Unpunctuated(tokens.SelectMany(t => t).ToList()));
            json.WriteStartArray("words");
            for (var i = 0; i < sentences.Count; i++)
            {
                DeepgramWords.WriteItems(json, tokens[i], Seconds(sentences[i].StartSample), Seconds(sentences[i].EndSample), listen.Punctuate);
            }

            json.WriteEndArray();
            json.WriteString("id", DeepgramModel.Uuid($"{listen.RequestId}/{segment.StartSample}"));
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static async Task<long> CopyLimitedAsync(Stream source, Stream destination, long maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > maxBytes)
            {
                throw new FetchRefusedException($"the body exceeds the limit of {maxBytes} bytes (Deepgram:PrerecordedMaxBytes)", tooLarge: true);
            }

            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        return total;
    }

    private static double Seconds(long samples) => Math.Round(samples / (double)SampleRate, 3);
}
