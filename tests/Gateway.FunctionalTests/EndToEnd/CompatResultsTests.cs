using System.Net.WebSockets;
using System.Runtime.InteropServices;
using System.Text.Json;
using Gateway.FunctionalTests.Compat;
using Gateway.FunctionalTests.Infrastructure;

namespace Gateway.FunctionalTests.EndToEnd;

/// <summary>
/// WhisperLive and FunASR clients (written from the protocol documents) against the real pipeline: VAD, dispatcher,
/// upstream pool and the simulator. The watermarked fixture lets every word be checked.
/// </summary>
public sealed class CompatResultsTests
{
    private static readonly SpeechFixture Fixture = SpeechFixture.ThreeUtterances;

    [Fact(Timeout = 60_000)]
    public async Task WhisperLive_PythonClientOnRoot_CompletedSegmentsCarryEveryWordThenClose()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var client = await WhisperLiveClient.ConnectAsync(gateway.Stream("/"));
        await client.SendOptionsAsync(o => o["language"] = "en");
        Assert.Equal("SERVER_READY", (await client.ExpectAsync()).GetProperty("message").GetString());

        // TranscriptionTeeClient: int16 converted to float32, 4,096 samples (256 ms) per frame.
        var floats = Fixture.Samples.Select(s => s / 32768f).ToArray();
        var bytes = MemoryMarshal.AsBytes(floats.AsSpan()).ToArray();
        for (var offset = 0; offset < bytes.Length; offset += 16_384)
        {
            await client.SendAudioAsync(bytes.AsMemory(offset, Math.Min(16_384, bytes.Length - offset)));
        }

        await client.SendEndOfAudioBinaryAsync();
        var messages = await client.ReceiveUntilClosedAsync();

        var words = client.Transcript.SelectMany(t => t.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(w => w.TrimEnd('.')).ToList();
        Assert.Equal(Fixture.Words, words);
        Assert.Equal(Fixture.Spans.Count, client.Transcript.Count);
        Assert.All(messages.Where(m => m.TryGetProperty("segments", out _)), m => Assert.NotEqual(0, m.GetProperty("segments").GetArrayLength()));
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
    }

    [Fact(Timeout = 60_000)]
    public async Task FunAsr2Pass_PythonClient_SentencesCarryEveryWordThenOneFinalAndTheAck()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var client = await FunAsrClient.ConnectAsync(gateway.Stream("/funasr"));

        await client.SendPythonConfigAsync("2pass", "fixture");
        await client.SendAudioAsync(Fixture.Pcm16Bytes);
        await client.SendTextAsync("""{"is_speaking":false,"is_end":true}""");
        var messages = await client.ReceiveUntilEndAckAsync();

        var sentences = messages.Where(m => Mode(m) == "2pass-offline").Select(m => m.GetProperty("text").GetString()!).ToList();
        Assert.Equal(Fixture.Words, sentences.SelectMany(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(w => w.TrimEnd('.')).ToList());
        Assert.Contains(messages, m => Mode(m) == "2pass-online");
        Assert.Single(messages, m => m.GetProperty("is_final").GetBoolean() && !m.TryGetProperty("is_end", out _));
        Assert.All(messages, m => Assert.Equal("fixture", m.GetProperty("wav_name").GetString()));
        Assert.True(messages[^1].GetProperty("is_end").GetBoolean());
    }

    [Fact(Timeout = 60_000)]
    public async Task FunAsrOffline_CppClient_ExactlyOneMessageWithTheWholeText()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var client = await FunAsrClient.ConnectAsync(gateway.Stream("/funasr/offline"));

        // The C++ offline client: no mode, PCM in large frames, EOS, then waits for exactly one message.
        await client.SendTextAsync("""{"chunk_size":[5,10,5],"chunk_interval":10,"wav_name":"file-1","wav_format":"pcm","audio_fs":16000,"itn":true,"is_speaking":true}""");
        await client.SendAudioAsync(Fixture.Pcm16Bytes, frameBytes: 204_800);
        await client.SendTextAsync("""{"is_speaking":false}""");
        var reply = JsonDocument.Parse(await client.ExpectRawAsync()).RootElement;

        Assert.Equal("offline", reply.GetProperty("mode").GetString());
        Assert.False(reply.GetProperty("is_final").GetBoolean());
        Assert.Equal(Fixture.Words, reply.GetProperty("text").GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => w.TrimEnd('.')).ToList());
        Assert.Empty(await client.CloseAndDrainAsync());
    }

    private static string? Mode(JsonElement m) => m.TryGetProperty("mode", out var mode) ? mode.GetString() : null;
}
