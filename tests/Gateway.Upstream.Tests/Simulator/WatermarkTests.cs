using FunAsr.Simulator;
using FunAsr.Simulator.Content;
using static Gateway.Upstream.Tests.Simulator.Audio;

namespace Gateway.Upstream.Tests.Simulator;

public sealed class WatermarkTests
{
    private static readonly Spoken[] Sentence =
    [
        new("the", 180), new("quick", 260), new("brown", 240), new("fox", 200), new("jumps", 300),
        new("über", 220), new("的", 160), new("lazy", 240), new("dog", 220),
    ];

    [Fact]
    public void Embed_SpanShorterThanOneFrame_Throws()
    {
        var samples = new short[Watermark.FrameSamples("hello") - 1];

        Assert.Throws<ArgumentException>(() => Watermark.Embed(samples, 1, "hello"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("two words")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456")]
    public void Embed_InvalidWord_Throws(string word)
    {
        Assert.ThrowsAny<ArgumentException>(() => Watermark.Embed(new short[4000], 1, word));
    }

    [Fact]
    public void Embed_ChangesOnlyTheLeastSignificantBit()
    {
        var original = Unmarked(100);
        var marked = (short[])original.Clone();

        Watermark.Embed(marked, 7, "hello");

        Assert.All(original.Zip(marked), p => Assert.True(Math.Abs(p.First - p.Second) <= 1));
        Assert.NotEqual(original, marked);
    }

    [Fact]
    public void Recognizer_FrameAtAnyOffset_FindsTheWord()
    {
        for (var offset = 0; offset < 40; offset += 3)
        {
            var samples = Unmarked(300, seed: offset);
            Watermark.Embed(samples.AsSpan(offset, 2000), 5, "offset");

            Assert.Equal(["offset"], Recognize(Bytes(samples)));
        }
    }

    [Fact]
    public void Recognizer_UnmarkedAudio_OneHashTokenPerFullSecond()
    {
        var pcm = Bytes(Unmarked(2500));

        var expected = Watermark.BlockTokens(pcm);

        Assert.Equal(2, expected.Count);
        Assert.All(expected, t => Assert.Matches("^blk[0-9a-f]{4}$", t));
        Assert.Equal(expected, Recognize(pcm));
    }

    [Fact]
    public void BlockToken_IsFoldedFnv1a()
    {
        // 32-bit FNV-1a of "a" is 0xE40C292C; folded: 0xE40C ^ 0x292C = 0xCD20.
        Assert.Equal("blkcd20", Watermark.BlockToken("a"u8));
    }

    [Fact]
    public void Recognizer_MissingBlock_WordMissing()
    {
        var pcm = Bytes(Speech([new("keep", 300), new("gone", 45), new("last", 300)]));
        var goneStart = (100 + 360) * SamplesPerMs * 2;

        // Remove the 1600-byte block that holds the whole audio of "gone" (45 ms = 1440 bytes).
        var damaged = pcm.AsSpan(0, goneStart - 80).ToArray().Concat(pcm.AsSpan(goneStart - 80 + 1600).ToArray()).ToArray();

        Assert.Equal(["keep", "gone", "last"], Recognize(pcm));
        Assert.Equal(["keep", "last"], Recognize(damaged));
    }

    [Fact]
    public void Recognizer_DuplicatedBlockOfEarlierWord_CountedAsSequenceRegression()
    {
        var pcm = Bytes(Speech([new("first", 300), new("second", 300)]));
        var block = pcm.AsSpan(100 * SamplesPerMs * 2, 1600).ToArray();
        var insertAt = (100 + 360 + 100) * SamplesPerMs * 2;

        // The copy of a block of "first" lands inside "second": it must not read as a clean stream.
        var damaged = pcm.AsSpan(0, insertAt).ToArray().Concat(block).Concat(pcm.AsSpan(insertAt).ToArray()).ToArray();

        Assert.Equal(0, Regressions(pcm));
        Assert.True(Regressions(damaged) > 0);
    }

    [Fact]
    public void Recognizer_MissingOrDuplicatedBlockInUnmarkedAudio_TokensChange()
    {
        var pcm = Bytes(Unmarked(3000));
        var missing = pcm.AsSpan(0, 32000).ToArray().Concat(pcm.AsSpan(33600).ToArray()).ToArray();
        var duplicated = pcm.AsSpan(0, 33600).ToArray().Concat(pcm.AsSpan(32000).ToArray()).ToArray();

        var clean = Recognize(pcm);

        Assert.Equal(3, clean.Count);
        Assert.NotEqual(clean, Recognize(missing));
        Assert.NotEqual(clean, Recognize(duplicated));
        Assert.Equal(clean[0], Recognize(missing)[0]);
        Assert.Equal(clean[0], Recognize(duplicated)[0]);
    }

    [Fact(Timeout = 10_000)]
    public async Task Simulator_WordsInRandomFrameSizes_ExactWordsBack()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.Cpp2Pass);
        await using var client = await SimClient.ConnectAsync(sim.Url);
        var pcm = Bytes(Speech(Sentence));

        for (var seed = 1; seed <= 3; seed++)
        {
            await client.ConfigAsync($"utt-{seed}");
            await client.SendAudioAsync(pcm, frameBytes: null, seed: seed);
            await client.EosAsync();
            var messages = await client.ReceiveUntilFinalAsync();

            var online = string.Concat(Cpp2PassTests.Texts(messages).Where(t => t.StartsWith("2pass-online", StringComparison.Ordinal)).Select(t => t.Split(':', 4)[3]));
            Assert.Equal("the quick brown fox jumps über 的 lazy dog", online);
            Assert.Equal("2pass-offline:true:" + (seed - 1) + ":the quick brown fox jumps über 的 lazy dog.", Cpp2PassTests.Texts(messages)[^1]);
        }

        Assert.Equal(pcm.Length * 3, sim.Stats.BytesReceived);
        Assert.Equal(0, sim.Stats.WatermarkSequenceRegressions);
    }

    private static List<string> Recognize(byte[] pcm)
    {
        var recognizer = new ContentRecognizer();
        var events = new List<ContentEvent>();
        for (var at = 0; at < pcm.Length; at += 1600)
        {
            recognizer.Append(pcm.AsSpan(at, Math.Min(1600, pcm.Length - at) & ~1), events);
        }

        recognizer.Finish(events);
        return [.. events.Where(e => e.Kind == ContentEventKind.Word).Select(e => e.Word!.Text)];
    }

    private static int Regressions(byte[] pcm)
    {
        var recognizer = new ContentRecognizer();
        var events = new List<ContentEvent>();
        recognizer.Append(pcm, events);
        recognizer.Finish(events);
        return recognizer.SequenceRegressions;
    }
}
