using FunAsr.Simulator;
using FunAsr.Simulator.Diagnostics;
using static Gateway.Upstream.Tests.Simulator.Audio;

namespace Gateway.Upstream.Tests.Simulator;

public sealed class PythonTests
{
    private static readonly Spoken[] HelloWorld = [new("hello", 200), new("world", 200)];

    [Fact(Timeout = 10_000)]
    public async Task Utterance_2Pass_PythonSpacingPartialSentenceAndIsEndAck()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.Python);
        await using var client = await SimClient.ConnectAsync(sim.Url);

        await client.SendTextAsync("""{"mode":"2pass","chunk_size":[5,10,5],"chunk_interval":10,"wav_name":"utt-1","wav_format":"pcm","is_speaking":true,"hotwords":"","itn":true}""");
        await client.SendAudioAsync(Bytes(Speech(HelloWorld)), frameBytes: 1920);
        await client.SendTextAsync("""{"is_speaking":false,"is_end":true}""");
        var messages = await client.ReceiveUntilAsync(e => e.TryGetProperty("is_end", out _));

        var (helloStart, helloEnd) = Sim.WordSpan(100, 200, "hello");
        var (worldStart, worldEnd) = Sim.WordSpan(360, 200, "world");
        Assert.Equal(
        [
            """{"mode": "2pass-online", "text": "hello world", "wav_name": "utt-1", "is_final": false}""",
            $$"""{"mode": "2pass-offline", "spk_name": "unknown", "spk_score": 0.0, "text": "hello world.", "wav_name": "utt-1", "is_final": true, "timestamp": [[{{helloStart}}, {{helloEnd}}], [{{worldStart}}, {{worldEnd}}]]}""",
            """{"mode": "2pass", "wav_name": "utt-1", "is_final": true, "is_end": true}""",
        ], messages);
    }

    [Fact(Timeout = 10_000)]
    public async Task Utterance_Online_PartialAfterEosIsFinal()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.Python);
        await using var client = await SimClient.ConnectAsync(sim.Url);

        await client.SendTextAsync("""{"mode":"online","chunk_size":"5,10,5","chunk_interval":100,"wav_name":"utt-1","is_speaking":true}""");
        await client.SendAudioAsync(Bytes(Speech(HelloWorld)), frameBytes: 1920);
        await client.SendTextAsync("""{"is_speaking":false,"is_end":true}""");
        var messages = await client.ReceiveUntilAsync(e => e.TryGetProperty("is_end", out _));

        Assert.Equal(
        [
            """{"mode": "online", "text": "hello world", "wav_name": "utt-1", "is_final": true}""",
            """{"mode": "online", "wav_name": "utt-1", "is_final": true, "is_end": true}""",
        ], messages);
    }

    [Fact(Timeout = 10_000)]
    public async Task Eos_WithoutIsEnd_NoAck()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.Python);
        await using var client = await SimClient.ConnectAsync(sim.Url);

        await client.SendTextAsync("""{"mode":"offline","chunk_size":[5,10,5],"wav_name":"utt-1","is_speaking":true}""");
        await client.SendAudioAsync(Bytes(Speech(HelloWorld)), frameBytes: 1920);
        await client.EosAsync();

        Assert.StartsWith("""{"mode": "offline", "spk_name": "unknown", "spk_score": 0.0, "text": "hello world", "wav_name": "utt-1", "is_final": true""", await client.ReceiveAsync());
        await client.AssertSilentAsync(TimeSpan.FromMilliseconds(200));
    }

    [Fact(Timeout = 10_000)]
    public async Task Audio_InvalidMode_IgnoredAndAckCarriesError()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.Python);
        await using var client = await SimClient.ConnectAsync(sim.Url);

        await client.SendTextAsync("""{"mode":"foo","chunk_size":[5,10,5],"wav_name":"utt-1","is_speaking":true}""");
        await client.SendAudioAsync(Bytes(Speech(HelloWorld)), frameBytes: 1920);
        await client.SendTextAsync("""{"is_speaking":false,"is_end":true}""");

        Assert.Equal("""{"mode": "foo", "wav_name": "utt-1", "is_final": false, "is_end": true, "error": "invalid mode 'foo'"}""", await client.ReceiveAsync());
        Assert.Contains(sim.Stats.Violations, v => v.Kind == ViolationKind.InvalidMode);
    }

    [Fact(Timeout = 10_000)]
    public async Task Audio_BeforeConfigAndWithoutChunkSize_IgnoredAndBothErrorsInAck()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.Python);
        await using var client = await SimClient.ConnectAsync(sim.Url);

        await client.SendAudioAsync(Bytes(Speech([new("lost", 200)])), frameBytes: 1920);
        await client.SendTextAsync("""{"mode":"offline","wav_name":"utt-1","is_speaking":true}""");
        await client.SendAudioAsync(Bytes(Speech([new("also", 200)])), frameBytes: 1920);
        await client.SendTextAsync("""{"is_speaking":false,"is_end":true}""");

        Assert.Equal("""{"mode": "offline", "wav_name": "utt-1", "is_final": false, "is_end": true, "error": "audio before config; chunk_size missing"}""", await client.ReceiveAsync());
        Assert.Contains(sim.Stats.Violations, v => v.Kind == ViolationKind.AudioBeforeConfig);
        Assert.Contains(sim.Stats.Violations, v => v.Kind == ViolationKind.MissingChunkSize);
    }

    [Fact(Timeout = 10_000)]
    public async Task BadJson_IgnoredConnectionKeepsWorking()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.Python);
        await using var client = await SimClient.ConnectAsync(sim.Url);

        await client.SendTextAsync("{oops");
        await client.SendTextAsync("""{"mode":"2pass","chunk_size":[5,10,5],"wav_name":"utt-1","is_speaking":true}""");
        await client.SendTextAsync("""{"is_speaking":false,"is_end":true}""");

        Assert.Equal("""{"mode": "2pass", "wav_name": "utt-1", "is_final": true, "is_end": true}""", await client.ReceiveAsync());
        Assert.Equal(0, sim.Stats.PoisonedConnections);
        Assert.Contains(sim.Stats.Violations, v => v.Kind == ViolationKind.InvalidJson);
    }

    [Fact(Timeout = 10_000)]
    public async Task Connection_ConfigReReadPerUtterance()
    {
        await using var sim = await Sim.StartAsync(SimulatorFlavour.Python);
        await using var client = await SimClient.ConnectAsync(sim.Url);

        foreach (var (name, mode) in new[] { ("a", "offline"), ("b", "2pass") })
        {
            await client.SendTextAsync($$"""{"mode":"{{mode}}","chunk_size":[5,10,5],"wav_name":"{{name}}","is_speaking":true,"hotwords":"{{name}}"}""");
            await client.SendTextAsync("""{"is_speaking":false,"is_end":true}""");
            Assert.Equal($$"""{"mode": "{{mode}}", "wav_name": "{{name}}", "is_final": true, "is_end": true}""", await client.ReceiveAsync());
        }

        Assert.Equal("b", sim.Stats.Connections[0].Hotwords);
        Assert.Empty(sim.Stats.Violations);
    }
}
