using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.FunctionalTests.Infrastructure;

namespace Gateway.FunctionalTests.Jobs;

/// <summary>The REST API end to end: real Kestrel, real ffmpeg, the shared VAD and the simulator upstream.</summary>
public sealed class JobApiTests
{
    private static readonly SpeechFixture Fixture = SpeechFixture.ThreeUtterances;
    private readonly CancellationTokenSource _deadline = new(TimeSpan.FromSeconds(80));

    [Theory(Timeout = 90_000)]
    [InlineData("wav")]
    [InlineData("mp3")]
    [InlineData("opus")]
    [InlineData("video")]
    public async Task Submit_EachFormat_DoneWithSentencesNearTheSpans(string kind)
    {
        using var media = new JobMedia();
        await using var gateway = await TestGateway.StartAsync(FileTranscriberTests.Settings(media));
        using var api = new JobApi(gateway.Http);
        var wav = media.Wav();
        var (path, name) = kind switch
        {
            "mp3" => (await media.ConvertAsync(wav, "speech.mp3", "-c:a", "libmp3lame", "-b:a", "64k"), "speech.mp3"),
            "opus" => (await media.ConvertAsync(wav, "speech.ogg", "-ac", "2", "-ar", "48000", "-c:a", "libopus", "-b:a", "48k"), "speech.ogg"),
            "video" => (await VideoAsync(media, wav), "talk.mov"),
            _ => (wav, "speech.wav"),
        };

        var id = await api.SubmitOkAsync(path, name);
        var result = await api.WaitFinishedAsync(id, _deadline.Token);

        Assert.Equal("done", result.GetProperty("status").GetString());
        Assert.Equal(100, result.GetProperty("progress").GetDouble());
        var sentences = result.GetProperty("sentences").EnumerateArray()
            .Select(s => new Gateway.Core.Results.Sentence(s.GetProperty("text").GetString()!, (long)(s.GetProperty("start").GetDouble() * 16000), (long)(s.GetProperty("end").GetDouble() * 16000)))
            .ToList();
        // Lossy codecs destroy the watermark: the simulator then names each second of audio by a block token.
        // The video carries its audio losslessly (PCM in QuickTime), so its words come through.
        if (kind is "wav" or "video")
        {
            Assert.Equal(Fixture.Words, sentences.SelectMany(s => s.Text.Split(' ')).Select(w => w.TrimEnd('.')));
            JobAssert.SentencesNearSpans(Fixture, sentences, toleranceMs: 300);
        }
        else
        {
            // A block-token sentence is dated from its utterance's start (the segment's 250 ms pre-roll comes first)
            // to its last whole second of audio (a trailing partial block yields no token).
            Assert.Equal(Fixture.Spans.Count, sentences.Count);
            JobAssert.SentencesNearSpans(Fixture, sentences, toleranceMs: 300, earlyStartMs: 250, earlyEndMs: 1000);
            Assert.All(sentences, s => Assert.Matches(@"^blk[0-9a-f]{4}( blk[0-9a-f]{4})*\.?$", s.Text));
        }

        Assert.Equal(Fixture.Samples.Length / 16000.0, result.GetProperty("duration").GetDouble(), 1);
        Assert.True(result.GetProperty("rtf").GetDouble() > 0);
    }

    [Fact(Timeout = 60_000)]
    public async Task Result_SrtVttTxt_OneCuePerSentence()
    {
        using var media = new JobMedia();
        await using var gateway = await TestGateway.StartAsync(FileTranscriberTests.Settings(media));
        using var api = new JobApi(gateway.Http);
        var id = await api.SubmitOkAsync(media.Wav());
        await api.WaitFinishedAsync(id, _deadline.Token);

        var srt = await api.Http.GetStringAsync($"/api/v1/asr/result/{id}?format=srt");
        var vtt = await api.Http.GetStringAsync($"/api/v1/asr/result/{id}?format=vtt");
        var txt = await api.Http.GetStringAsync($"/api/v1/asr/result/{id}?format=txt");

        Assert.StartsWith("1\n00:00:0", srt, StringComparison.Ordinal);
        Assert.Contains(" --> ", srt, StringComparison.Ordinal);
        Assert.Equal(Fixture.Spans.Count, srt.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.StartsWith("WEBVTT\n\n00:00:0", vtt, StringComparison.Ordinal);
        Assert.Matches(@"\d\d:\d\d:\d\d\.\d\d\d --> \d\d:\d\d:\d\d\.\d\d\d", vtt);
        Assert.StartsWith("The quick brown fox jumps over the dog.\n", txt, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task BadInput_EachCase_ClearStatusAndReason()
    {
        using var media = new JobMedia();
        var settings = FileTranscriberTests.Settings(media);
        settings["Jobs:MaxUploadBytes"] = "200000";
        await using var gateway = await TestGateway.StartAsync(settings);
        using var api = new JobApi(gateway.Http);
        var junk = media.File("junk.bin");
        await File.WriteAllBytesAsync(junk, Enumerable.Range(0, 5000).Select(i => (byte)(i * 7919 % 251)).ToArray());
        var empty = media.File("empty.wav");
        await File.WriteAllBytesAsync(empty, []);
        var big = media.File("big.bin");
        await File.WriteAllBytesAsync(big, new byte[300_000]);
        var silentVideo = media.File("silent.mp4");
        await JobMedia.FfmpegAsync("-f", "lavfi", "-i", "testsrc=d=1:s=64x48", "-t", "1", silentVideo);

        using (var response = await api.SubmitAsync(junk, "junk.bin"))
        {
            Assert.Equal((415, "ffmpeg could not decode the input: input: Invalid data found when processing input"), await JobApi.ProblemAsync(response));
        }

        using (var response = await api.SubmitAsync(silentVideo, "silent.mp4"))
        {
            Assert.Equal((422, "ffmpeg could not decode the input: the input has no audio stream"), await JobApi.ProblemAsync(response));
        }

        using (var response = await api.SubmitAsync(empty, "empty.wav"))
        {
            Assert.Equal((422, "the uploaded file is empty"), await JobApi.ProblemAsync(response));
        }

        using (var response = await api.SubmitAsync(big, "big.bin"))
        {
            Assert.Equal((413, "the upload exceeds the limit of 200000 bytes"), await JobApi.ProblemAsync(response));
        }

        using (var malformed = new StringContent("--xyz\r\nContent-Disposition: form-data; name=\"audio\"; filename=\"a.wav\"\r\n\r\nabc", Encoding.ASCII))
        {
            malformed.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=xyz");
            using var response = await api.Http.PostAsync("/api/v1/asr/submit", malformed);
            var (status, detail) = await JobApi.ProblemAsync(response);
            Assert.Equal(400, status);
            Assert.StartsWith("malformed multipart body", detail, StringComparison.Ordinal);
        }

        var unknown = new string('a', 32);
        using (var response = await api.Http.GetAsync($"/api/v1/asr/result/{unknown}"))
        {
            Assert.Equal((404, $"task {unknown} not found"), await JobApi.ProblemAsync(response));
        }

        using (var response = await api.Http.DeleteAsync("/api/v1/asr/task/not-an-id"))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        // Nothing refused was kept.
        var history = JsonDocument.Parse(await api.Http.GetStringAsync("/api/v1/asr/history")).RootElement;
        Assert.Equal(0, history.GetProperty("total").GetInt32());
        Assert.Empty(Directory.GetFiles(Path.Combine(media.File("data"), "incoming")));
    }

    [Fact(Timeout = 90_000)]
    public async Task RetryAndDelete_WhileRunning_409ThenCancelled_AndHistoryPages()
    {
        using var media = new JobMedia();
        // A slow upstream keeps the long job running while the test acts on it.
        await using var gateway = await TestGateway.StartAsync(
            FileTranscriberTests.Settings(media), simulatorOptions: new FunAsr.Simulator.SimulatorOptions { StepLatency = TimeSpan.FromMilliseconds(40) });
        using var api = new JobApi(gateway.Http);
        var id = await api.SubmitOkAsync(media.Wav("long.wav", times: 6));
        while ((await api.ResultAsync(id)).GetProperty("status").GetString() != "processing")
        {
            await Task.Delay(50, _deadline.Token);
        }

        using (var retry = await api.Http.PostAsync($"/api/v1/asr/retry/{id}", null))
        {
            Assert.Equal(409, (await JobApi.ProblemAsync(retry)).Status);
        }

        var utterances = gateway.Simulator.Stats.UtterancesStarted;
        using (var delete = await api.Http.DeleteAsync($"/api/v1/asr/task/{id}"))
        {
            Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        }

        using (var gone = await api.Http.GetAsync($"/api/v1/asr/result/{id}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        // The run stops: no new utterances once those in flight end.
        var jobs = gateway.Services.GetService(typeof(Gateway.Core.Jobs.JobActivity)) as Gateway.Core.Jobs.JobActivity;
        while (jobs!.Processing > 0)
        {
            await Task.Delay(50, _deadline.Token);
        }

        Assert.True(gateway.Simulator.Stats.UtterancesStarted - utterances <= 4, "segments stopped being sent after the delete");

        // Finished jobs page newest first, and a done job can be retried.
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await api.SubmitOkAsync(media.Wav($"s{i}.wav")));
            await api.WaitFinishedAsync(ids[^1], _deadline.Token);
        }

        var page = JsonDocument.Parse(await api.Http.GetStringAsync("/api/v1/asr/history?page=1&page_size=2")).RootElement;
        Assert.Equal(3, page.GetProperty("total").GetInt32());
        Assert.Equal([ids[2], ids[1]], page.GetProperty("items").EnumerateArray().Select(j => j.GetProperty("task_id").GetString()));
        using (var retry = await api.Http.PostAsync($"/api/v1/asr/retry/{ids[0]}", null))
        {
            Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        }

        var again = await api.WaitFinishedAsync(ids[0], _deadline.Token);
        Assert.Equal("done", again.GetProperty("status").GetString());
        Assert.Equal(2, again.GetProperty("attempts").GetInt32());
    }

    [Fact(Timeout = 60_000)]
    public async Task Events_StreamProgressUntilDone()
    {
        using var media = new JobMedia();
        await using var gateway = await TestGateway.StartAsync(FileTranscriberTests.Settings(media));
        using var api = new JobApi(gateway.Http);
        var id = await api.SubmitOkAsync(media.Wav("three.wav", times: 3));

        using var stream = await api.Http.GetStreamAsync($"/api/v1/asr/events/{id}");
        using var reader = new StreamReader(stream);
        var events = new List<string>();
        while (await reader.ReadLineAsync(_deadline.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                events.Add(line[7..]);
            }
        }

        Assert.Equal("done", events[^1]);
        Assert.Contains("progress", events);
    }

    private static async Task<string> VideoAsync(JobMedia media, string wav)
    {
        var path = media.File("talk.mov");
        await JobMedia.FfmpegAsync("-f", "lavfi", "-i", "testsrc=s=160x120:r=10", "-i", wav, "-shortest", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "pcm_s16le", path);
        return path;
    }
}
