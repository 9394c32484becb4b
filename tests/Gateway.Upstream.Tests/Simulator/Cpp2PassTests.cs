using System.Net.WebSockets;
using FunAsr.Simulator;
using FunAsr.Simulator.Diagnostics;
using static Gateway.Upstream.Tests.Simulator.Audio;

namespace Gateway.Upstream.Tests.Simulator;

public sealed class Cpp2PassTests
{
    private static readonly Spoken[] HelloWorld = [new("hello", 200), new("world", 200)];

    [Fact(Timeout = 10_000)]
    public async Task Utterance_TwoWords_OnlineDeltasThenFinalCarryingTheSentence()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.Cpp2Pass);
        await using var client = await SimClient.ConnectAsync(sim.Url);

        await client.ConfigAsync("utt-1");
        await client.SendAudioAsync(Bytes(Speech(HelloWorld)), frameBytes: 3200);
        await client.EosAsync();
        var messages = await client.ReceiveUntilFinalAsync();

        var (_, worldEnd) = Sim.WordSpan(100 + 260, 200, "world");
        Assert.Equal(
        [
            $$"""{"index":0,"is_final":false,"mode":"2pass-online","slice_type":0,"text":"hello","timestamp":{{Sim.Epoch}},"wav_name":"utt-1"}""",
            $$"""{"index":0,"is_final":false,"mode":"2pass-online","slice_type":1,"text":" world","timestamp":{{Sim.Epoch}},"wav_name":"utt-1"}""",
            $$"""{"end_time":{{worldEnd}},"index":0,"is_final":true,"mode":"2pass-offline","slice_type":2,"start_time":100,"text":"hello world.","timestamp":{{Sim.Epoch}},"wav_name":"utt-1"}""",
        ], messages);
        Assert.Empty(sim.Stats.Violations);
    }

    [Fact(Timeout = 10_000)]
    public async Task Utterance_ChineseWord_MatchesTheProtocolExampleByteForByte()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.Cpp2Pass);
        await using var client = await SimClient.ConnectAsync(sim.Url);

        await client.ConfigAsync("utt-1");
        await client.SendAudioAsync(Bytes(Speech([new("今天", 200)])));

        // funasr.md §4.2, first example line: compact, sorted, raw UTF-8.
        Assert.Equal("""{"index":0,"is_final":false,"mode":"2pass-online","slice_type":0,"text":"今天","timestamp":1755750000000,"wav_name":"utt-1"}""", await client.ReceiveAsync());
    }

    [Fact(Timeout = 10_000)]
    public async Task Eos_NoAudio_EmptyFinalWithoutMode()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.Cpp2Pass);
        await using var client = await SimClient.ConnectAsync(sim.Url);

        await client.ConfigAsync("utt-1");
        await client.EosAsync();

        Assert.Equal($$"""{"is_final":true,"text":"","timestamp":{{Sim.Epoch}},"wav_name":"utt-1"}""", await client.ReceiveAsync());
    }

    [Fact(Timeout = 10_000)]
    public async Task Eos_IsFinishedTrue_AlsoEndsTheUtterance()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.Cpp2Pass);
        await using var client = await SimClient.ConnectAsync(sim.Url);

        await client.ConfigAsync("utt-1");
        await client.SendTextAsync("""{"is_finished":true}""");

        Assert.Equal($$"""{"is_final":true,"text":"","timestamp":{{Sim.Epoch}},"wav_name":"utt-1"}""", await client.ReceiveAsync());
    }

    [Fact(Timeout = 10_000)]
    public async Task Utterance_NonPcmFormat_ExactErrorFinal()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.Cpp2Pass);
        await using var client = await SimClient.ConnectAsync(sim.Url);

        await client.SendTextAsync("""{"mode":"2pass","chunk_size":[5,10,5],"wav_name":"utt-1","wav_format":"mp3","is_speaking":true}""");
        await client.SendAudioAsync(Bytes(Speech(HelloWorld)));
        await client.EosAsync();

        Assert.Equal("""{"is_final":true,"text":"ERROR. Real-time transcription service ONLY SUPPORT PCM stream.","wav_name":"utt-1"}""", await client.ReceiveAsync());
    }

    [Fact(Timeout = 10_000)]
    public async Task Mode_Offline_OnlySentencesWithZeroStartTime()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.Cpp2Pass);
        await using var client = await SimClient.ConnectAsync(sim.Url);

        await client.ConfigAsync("utt-1", mode: "offline");
        await client.SendAudioAsync(Bytes(Speech(HelloWorld)), frameBytes: null);
        await client.EosAsync();
        var messages = await client.ReceiveUntilFinalAsync();

        var (_, worldEnd) = Sim.WordSpan(100 + 260, 200, "world");
        Assert.Equal(
            [$$"""{"end_time":{{worldEnd}},"index":0,"is_final":true,"mode":"2pass-offline","slice_type":2,"start_time":0,"text":"hello world.","timestamp":{{Sim.Epoch}},"wav_name":"utt-1"}"""],
            messages);
    }

    [Fact(Timeout = 10_000)]
    public async Task Mode_Online_OnlyDeltasAndAnEmptyFinal()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.Cpp2Pass);
        await using var client = await SimClient.ConnectAsync(sim.Url);

        await client.ConfigAsync("utt-1", mode: "online");
        await client.SendAudioAsync(Bytes(Speech(HelloWorld)), frameBytes: 3200);
        await client.EosAsync();
        var messages = await client.ReceiveUntilFinalAsync();

        Assert.Equal(
        [
            $$"""{"index":0,"is_final":false,"mode":"2pass-online","slice_type":0,"text":"hello","timestamp":{{Sim.Epoch}},"wav_name":"utt-1"}""",
            $$"""{"index":0,"is_final":false,"mode":"2pass-online","slice_type":1,"text":" world","timestamp":{{Sim.Epoch}},"wav_name":"utt-1"}""",
            $$"""{"is_final":true,"text":"","timestamp":{{Sim.Epoch}},"wav_name":"utt-1"}""",
        ], messages);
    }

    [Fact(Timeout = 10_000)]
    public async Task Utterance_PauseOf300Ms_TwoSentencesSecondInTheFinal()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.Cpp2Pass);
        await using var client = await SimClient.ConnectAsync(sim.Url);

        await client.ConfigAsync("utt-1", mode: "offline");
        await client.SendAudioAsync(Bytes(Speech([new("one", 200, PauseMs: 400), new("two", 200)])), frameBytes: 1600);
        await client.EosAsync();
        var texts = Texts(await client.ReceiveUntilFinalAsync());

        Assert.Equal(["2pass-offline:false:0:one.", "2pass-offline:true:1:two."], texts);
    }

    [Fact(Timeout = 10_000)]
    public async Task Connection_ManyUtterances_IndexNeverResetsAndEachGetsOneFinal()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.Cpp2Pass);
        await using var client = await SimClient.ConnectAsync(sim.Url);

        var all = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            await client.ConfigAsync($"utt-{i}", mode: "offline");
            await client.SendAudioAsync(Bytes(Speech([new($"word{i}", 200)], firstSequence: (ushort)(10 * i))), frameBytes: 6400);
            await client.EosAsync();
            all.AddRange(Texts(await client.ReceiveUntilFinalAsync()));
        }

        Assert.Equal(["2pass-offline:true:0:word0.", "2pass-offline:true:1:word1.", "2pass-offline:true:2:word2."], all);
        Assert.Equal(3, sim.Stats.UtterancesCompleted);
        Assert.Equal(1, sim.Stats.MaxConcurrentUtterancesPerConnection);
        Assert.Empty(sim.Stats.Violations);
    }

    [Fact(Timeout = 10_000)]
    public async Task ChunkSize_LaterDifferentValue_IgnoredAndReported()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.Cpp2Pass);
        await using var client = await SimClient.ConnectAsync(sim.Url);

        await client.ConfigAsync("utt-1");
        await client.SendTextAsync("""{"chunk_size":[8,8,4],"wav_name":"utt-2","is_speaking":true}""");
        await client.EosAsync();
        await client.ReceiveUntilFinalAsync();

        Assert.Equal("5,10,5", sim.Stats.Connections[0].ChunkSize);
        Assert.Contains(sim.Stats.Violations, v => v.Kind == ViolationKind.ChunkSizeChanged);
    }

    [Fact(Timeout = 10_000)]
    public async Task ChunkSize_Missing_NoResultAndNoFinalEver()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.Cpp2Pass);
        await using var client = await SimClient.ConnectAsync(sim.Url);

        await client.SendTextAsync("""{"mode":"2pass","wav_name":"utt-1","is_speaking":true}""");
        await client.SendAudioAsync(Bytes(Speech(HelloWorld)));
        await client.EosAsync();

        await client.AssertSilentAsync(TimeSpan.FromMilliseconds(300));
        Assert.Contains(sim.Stats.Violations, v => v.Kind == ViolationKind.MissingChunkSize);
        Assert.Equal(0, sim.Stats.UtterancesCompleted);
    }

    [Fact(Timeout = 10_000)]
    public async Task ChunkSize_ZeroMiddle_RestOfMessageIncludingEosSkipped()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.Cpp2Pass);
        await using var client = await SimClient.ConnectAsync(sim.Url);

        await client.SendTextAsync("""{"chunk_size":[5,0,5],"wav_name":"utt-1","is_speaking":false}""");

        await client.AssertSilentAsync(TimeSpan.FromMilliseconds(300));
        Assert.Contains(sim.Stats.Violations, v => v.Kind == ViolationKind.InvalidChunkSize);
    }

    [Fact(Timeout = 10_000)]
    public async Task Hotwords_FirstValueWinsForTheConnection()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.Cpp2Pass);
        await using var client = await SimClient.ConnectAsync(sim.Url);

        await client.ConfigAsync("utt-1", extra: ""","hotwords":"{\"alpha\":20}" """);
        await client.EosAsync();
        await client.ReceiveUntilFinalAsync();
        await client.ConfigAsync("utt-2", extra: ""","hotwords":"{\"beta\":20}" """);
        await client.EosAsync();
        await client.ReceiveUntilFinalAsync();

        Assert.Equal("""{"alpha":20}""", sim.Stats.Connections[0].Hotwords);
        Assert.Contains(sim.Stats.Violations, v => v.Kind == ViolationKind.HotwordsChanged);
    }

    [Fact(Timeout = 10_000)]
    public async Task Audio_BeforeFirstConfig_Dropped()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.Cpp2Pass);
        await using var client = await SimClient.ConnectAsync(sim.Url);

        await client.SendAudioAsync(Bytes(Speech([new("early", 200)], firstSequence: 1)));
        await client.ConfigAsync("utt-1", mode: "offline");
        await client.SendAudioAsync(Bytes(Speech([new("late", 200)], firstSequence: 2)));
        await client.EosAsync();

        Assert.Equal(["2pass-offline:true:0:late."], Texts(await client.ReceiveUntilFinalAsync()));
        Assert.Contains(sim.Stats.Violations, v => v.Kind == ViolationKind.AudioBeforeConfig);
    }

    [Fact(Timeout = 10_000)]
    public async Task BadJson_PoisonsConnection_SilentButOpen()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.Cpp2Pass);
        await using var client = await SimClient.ConnectAsync(sim.Url);

        await client.ConfigAsync("utt-1");
        await client.SendAudioAsync(Bytes(Speech([new("hello", 200)])));
        Assert.Contains("hello", await client.ReceiveAsync()); // decoding was running
        await client.SendTextAsync("{\"is_speaking\":tru");
        await client.SendAudioAsync(Bytes(Speech(HelloWorld)));
        await client.EosAsync();
        await client.ConfigAsync("utt-2");
        await client.EosAsync();

        await sim.Stats.WaitUntilAsync(s => s.PoisonedConnections == 1, CancellationToken.None);
        await Task.Delay(100);
        Assert.Equal(WebSocketState.Open, client.Socket.State);
        Assert.Equal(1, sim.Stats.ConnectionsOpen);
        Assert.True(sim.Stats.Connections[0].Poisoned);
        await client.AssertSilentAsync(TimeSpan.FromMilliseconds(300));
    }

    [Fact(Timeout = 10_000)]
    public async Task Eos_SecondBeforeFinal_ReportedAsViolation()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.Cpp2Pass, o =>
        {
            o.FinalLatency = TimeSpan.FromMilliseconds(200);
            o.TimeProvider = TimeProvider.System;
        });
        await using var client = await SimClient.ConnectAsync(sim.Url);

        await client.ConfigAsync("utt-1");
        await client.EosAsync();
        await client.SendAudioAsync(Bytes(Speech(HelloWorld)));
        await client.EosAsync();

        await sim.Stats.WaitUntilAsync(s => s.Violations.Any(v => v.Kind == ViolationKind.EosBeforeFinal), CancellationToken.None);
        Assert.Contains(sim.Stats.Violations, v => v.Kind == ViolationKind.SentBeforeFinal);
        Assert.Equal(2, sim.Stats.MaxConcurrentUtterancesPerConnection);
    }

    [Fact(Timeout = 10_000)]
    public async Task Audio_OddTrailingByte_DroppedAndReported()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.Cpp2Pass);
        await using var client = await SimClient.ConnectAsync(sim.Url);

        await client.ConfigAsync("utt-1", mode: "offline");
        await client.SendAudioAsync([.. Bytes(Speech(HelloWorld)), 0x7F]);
        await client.EosAsync();

        Assert.Equal(["2pass-offline:true:0:hello world."], Texts(await client.ReceiveUntilFinalAsync()));
        Assert.Contains(sim.Stats.Violations, v => v.Kind == ViolationKind.OddAudioLength);
    }

    [Fact(Timeout = 10_000)]
    public async Task WrongJsonType_Hotwords_ConnectionAbortedAndReported()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.Cpp2Pass);
        await using var client = await SimClient.ConnectAsync(sim.Url);

        await client.SendTextAsync("""{"chunk_size":[5,10,5],"hotwords":{"alpha":20},"wav_name":"utt-1","is_speaking":true}""");

        Assert.Null(await client.ReceiveAsync());
        Assert.Contains(sim.Stats.Violations, v => v.Kind == ViolationKind.WrongJsonType && v.Detail.StartsWith("hotwords", StringComparison.Ordinal));
    }

    [Fact(Timeout = 10_000)]
    public async Task Utterance_UnmarkedAudio_BlockTokensAsDeltasAndSentence()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.Cpp2Pass);
        await using var client = await SimClient.ConnectAsync(sim.Url);
        var pcm = Bytes(Unmarked(2500));
        var tokens = FunAsr.Simulator.Content.Watermark.BlockTokens(pcm);

        await client.ConfigAsync("utt-1");
        await client.SendAudioAsync(pcm, frameBytes: 1920);
        await client.EosAsync();
        var messages = await client.ReceiveUntilFinalAsync();

        Assert.Equal(
        [
            $"2pass-online:false:0:{tokens[0]}",
            $"2pass-online:false:0: {tokens[1]}",
            $"2pass-offline:true:0:{tokens[0]} {tokens[1]}.",
        ], Texts(messages));
        Assert.Contains("\"end_time\":2000,", messages[^1]);
        Assert.Contains("\"start_time\":0,", messages[^1]);
    }

    [Fact(Timeout = 10_000)]
    public async Task Mode_OnlineThen2Pass_NoOfflineSentenceSoNextFirstPartialHasSliceType1()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.Cpp2Pass);
        await using var client = await SimClient.ConnectAsync(sim.Url);

        await client.ConfigAsync("utt-1", mode: "online");
        await client.SendAudioAsync(Bytes(Speech([new("first", 200)], firstSequence: 1)));
        await client.EosAsync();
        await client.ReceiveUntilFinalAsync();
        await client.ConfigAsync("utt-2");
        await client.SendAudioAsync(Bytes(Speech([new("second", 200)], firstSequence: 2)));
        await client.EosAsync();
        var messages = await client.ReceiveUntilFinalAsync();

        Assert.StartsWith("{\"index\":0,\"is_final\":false,\"mode\":\"2pass-online\",\"slice_type\":1,\"text\":\"second\"", messages[0]);
        Assert.Equal("2pass-offline:true:0:second.", Texts(messages)[^1]);
    }

    /// <summary>"mode:final:index:text" of each message, for sequence assertions that do not care about times.</summary>
    internal static List<string> Texts(IEnumerable<string> messages) =>
        [.. messages.Select(m =>
        {
            using var doc = System.Text.Json.JsonDocument.Parse(m);
            var r = doc.RootElement;
            var mode = r.TryGetProperty("mode", out var md) ? md.GetString() : "-";
            var index = r.TryGetProperty("index", out var ix) ? ix.GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture) : "-";
            return $"{mode}:{(r.GetProperty("is_final").GetBoolean() ? "true" : "false")}:{index}:{r.GetProperty("text").GetString()}";
        })];
}
