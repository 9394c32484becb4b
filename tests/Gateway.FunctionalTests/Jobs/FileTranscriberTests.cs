using Gateway.Core.Jobs;
using Gateway.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.FunctionalTests.Jobs;

/// <summary>The file path through the real engine: real ffmpeg, the shared Silero VAD, the simulator upstream.</summary>
public sealed class FileTranscriberTests
{
    private static readonly SpeechFixture Fixture = SpeechFixture.ThreeUtterances;
    private readonly CancellationTokenSource _deadline = new(TimeSpan.FromSeconds(50));

    [Fact(Timeout = 60_000)]
    public async Task Transcribe_WavFile_FixtureWordsInOrderWithSentenceTimesNearSpans()
    {
        using var media = new JobMedia();
        await using var gateway = await TestGateway.StartAsync(Settings(media));
        var transcriber = gateway.Services.GetRequiredService<IFileTranscriber>();
        var progress = new List<double>();

        var result = await transcriber.TranscribeAsync(
            new FileTranscriptionRequest { Path = media.Wav(), Progress = p => { lock (progress) { progress.Add(p.Fraction); } } },
            _deadline.Token);

        Assert.Equal(Fixture.Words, result.Sentences.SelectMany(s => s.Text.Split(' ')).Select(w => w.TrimEnd('.')));
        JobAssert.SentencesNearSpans(Fixture, result.Sentences.ToList(), toleranceMs: 300);
        Assert.Equal(Fixture.Samples.Length / 16_000.0, result.Duration.TotalSeconds, 2);
        Assert.Equal(1.0, progress[^1]);
        Assert.True(progress.Zip(progress.Skip(1)).All(p => p.First <= p.Second), "progress only moves forward");
    }

    [Fact(Timeout = 60_000)]
    public async Task Transcribe_StreamInput_SameWordsAsTheFile()
    {
        using var media = new JobMedia();
        await using var gateway = await TestGateway.StartAsync(Settings(media));
        var transcriber = gateway.Services.GetRequiredService<IFileTranscriber>();
        await using var input = File.OpenRead(media.Wav());

        var result = await transcriber.TranscribeAsync(new FileTranscriptionRequest { Input = input }, _deadline.Token);

        Assert.Equal(Fixture.Words, result.Sentences.SelectMany(s => s.Text.Split(' ')).Select(w => w.TrimEnd('.')));
    }

    [Fact(Timeout = 60_000)]
    public async Task Transcribe_Resume_SkipsSegmentsAnEarlierRunFinished()
    {
        using var media = new JobMedia();
        await using var gateway = await TestGateway.StartAsync(Settings(media));
        var transcriber = gateway.Services.GetRequiredService<IFileTranscriber>();
        var wav = media.Wav();
        var first = await transcriber.TranscribeAsync(new FileTranscriptionRequest { Path = wav }, _deadline.Token);
        var utterancesBefore = gateway.Simulator.Stats.UtterancesStarted;

        var resumed = await transcriber.TranscribeAsync(
            new FileTranscriptionRequest { Path = wav, Completed = first.Segments.Take(2).ToArray() }, _deadline.Token);

        Assert.Equal(first.Segments.Count - 2, gateway.Simulator.Stats.UtterancesStarted - utterancesBefore);
        Assert.Equal(first.Text, resumed.Text);
    }

    [Fact(Timeout = 60_000)]
    public async Task Transcribe_CorruptFile_MediaDecodeExceptionWithFfmpegsReason()
    {
        using var media = new JobMedia();
        await using var gateway = await TestGateway.StartAsync(Settings(media));
        var transcriber = gateway.Services.GetRequiredService<IFileTranscriber>();
        var junk = media.File("junk.bin");
        await File.WriteAllBytesAsync(junk, Enumerable.Range(0, 5000).Select(i => (byte)(i * 7919 % 251)).ToArray(), _deadline.Token);

        var error = await Assert.ThrowsAsync<MediaDecodeException>(() => transcriber.TranscribeAsync(new FileTranscriptionRequest { Path = junk }, _deadline.Token));

        Assert.Equal("ffmpeg could not decode the input: input: Invalid data found when processing input", error.Message);
        Assert.True(error.Unsupported);
    }

    internal static Dictionary<string, string?> Settings(JobMedia media) => new()
    {
        ["Jobs:DataDirectory"] = media.File("data"),
    };
}
