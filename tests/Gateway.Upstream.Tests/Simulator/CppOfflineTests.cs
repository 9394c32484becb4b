using FunAsr.Simulator;
using FunAsr.Simulator.Diagnostics;
using static Gateway.Upstream.Tests.Simulator.Audio;

namespace Gateway.Upstream.Tests.Simulator;

public sealed class CppOfflineTests
{
    private static readonly Spoken[] HelloWorld = [new("hello", 200), new("world", 200)];

    [Fact(Timeout = 10_000)]
    public async Task Utterance_TwoWords_ExactlyOneMessageWithStringTimestampAndStampSents()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.CppOffline);
        await using var client = await SimClient.ConnectAsync(sim.Url);

        await client.SendTextAsync("""{"chunk_size":[5,10,5],"wav_name":"utt-1","wav_format":"pcm","audio_fs":16000,"itn":true,"is_speaking":true}""");
        await client.SendAudioAsync(Bytes(Speech(HelloWorld)), frameBytes: 204_800);
        await client.EosAsync();

        var (helloStart, helloEnd) = Sim.WordSpan(100, 200, "hello");
        var (worldStart, worldEnd) = Sim.WordSpan(360, 200, "world");
        Assert.Equal(
            $$"""{"is_final":false,"mode":"offline","stamp_sents":[{"end":{{worldEnd}},"punc":"","start":{{helloStart}},"text_seg":"hello world","ts_list":[[{{helloStart}},{{helloEnd}}],[{{worldStart}},{{worldEnd}}]]}],"text":"hello world","timestamp":"[[{{helloStart}},{{helloEnd}}],[{{worldStart}},{{worldEnd}}]]","wav_name":"utt-1"}""",
            await client.ReceiveAsync());
        await client.AssertSilentAsync(TimeSpan.FromMilliseconds(200));
    }

    [Fact(Timeout = 10_000)]
    public async Task Eos_EmptyAudio_EmptyTextMessage()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.CppOffline);
        await using var client = await SimClient.ConnectAsync(sim.Url);

        await client.SendTextAsync("""{"wav_name":"utt-1","is_speaking":true}""");
        await client.EosAsync();

        Assert.Equal("""{"is_final":false,"mode":"offline","text":"","wav_name":"utt-1"}""", await client.ReceiveAsync());
    }

    [Fact(Timeout = 10_000)]
    public async Task Audio_BeforeConfig_BufferedAndDecodedWithDefaults()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.CppOffline);
        await using var client = await SimClient.ConnectAsync(sim.Url);

        await client.SendAudioAsync(Bytes(Speech([new("early", 200)])));
        await client.EosAsync();

        Assert.Contains("\"text\":\"early\",", await client.ReceiveAsync());
        Assert.Contains("\"wav_name\":\"wav-default-id\"", (await SendEmpty(client)));
        Assert.Empty(sim.Stats.Violations);
    }

    [Fact(Timeout = 10_000)]
    public async Task Connection_ManyUtterances_OneMessageEachModeIgnored()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.CppOffline);
        await using var client = await SimClient.ConnectAsync(sim.Url);

        var texts = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            await client.SendTextAsync($$"""{"mode":"2pass","wav_name":"f{{i}}","is_speaking":true}""");
            await client.SendAudioAsync(Bytes(Speech([new($"file{i}", 200), new("end", 150)])), frameBytes: null, seed: i);
            await client.EosAsync();
            texts.Add((await client.ReceiveAsync())!);
        }

        Assert.All(texts, (t, i) => Assert.Contains($$"""
            "text":"file{{i}} end","timestamp"
            """.Trim(), t));
        Assert.Equal(3, sim.Stats.UtterancesCompleted);
        Assert.Equal(1, sim.Stats.MaxConcurrentUtterancesPerConnection);
        Assert.Empty(sim.Stats.Violations);
    }

    [Fact(Timeout = 10_000)]
    public async Task Utterance_WavFormatWithRiffHeader_HeaderSkipped()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.CppOffline);
        await using var client = await SimClient.ConnectAsync(sim.Url);
        var pcm = Bytes(Unmarked(2200));

        await client.SendTextAsync("""{"wav_name":"f.wav","wav_format":"wav","is_speaking":true}""");
        await client.SendAudioAsync(Wav(pcm), frameBytes: 960);
        await client.EosAsync();

        var expected = string.Join(' ', FunAsr.Simulator.Content.Watermark.BlockTokens(pcm));
        Assert.Contains($"\"text\":\"{expected}\"", await client.ReceiveAsync());
    }

    [Fact(Timeout = 10_000)]
    public async Task BadJson_PoisonsConnection()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.CppOffline);
        await using var client = await SimClient.ConnectAsync(sim.Url);

        await client.SendTextAsync("not json");
        await client.EosAsync();

        await sim.Stats.WaitUntilAsync(s => s.PoisonedConnections == 1, CancellationToken.None);
        await client.AssertSilentAsync(TimeSpan.FromMilliseconds(300));
    }

    [Fact(Timeout = 10_000)]
    public async Task Eos_PipelinedBeforeResult_ReportedAsViolation()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.CppOffline, o =>
        {
            o.FinalLatency = TimeSpan.FromMilliseconds(200);
            o.TimeProvider = TimeProvider.System;
        });
        await using var client = await SimClient.ConnectAsync(sim.Url);

        await client.SendTextAsync("""{"wav_name":"a","is_speaking":true}""");
        await client.EosAsync();
        await client.SendTextAsync("""{"wav_name":"b","is_speaking":true}""");
        await client.EosAsync();

        Assert.Contains("\"wav_name\":\"a\"", await client.ReceiveAsync());
        Assert.Contains("\"wav_name\":\"b\"", await client.ReceiveAsync());
        Assert.Contains(sim.Stats.Violations, v => v.Kind == ViolationKind.EosBeforeFinal);
    }

    private static async Task<string> SendEmpty(SimClient client)
    {
        await client.EosAsync();
        return (await client.ReceiveAsync())!;
    }

    /// <summary>PCM16 16 kHz mono as a WAV file (NAudio).</summary>
    private static byte[] Wav(byte[] pcm)
    {
        var file = new MemoryStream();
        using (var writer = new NAudio.Wave.WaveFileWriter(file, new NAudio.Wave.WaveFormat(16_000, 16, 1)))
        {
            writer.Write(pcm);
        }

        return file.ToArray();
    }
}
