using System.Diagnostics;
using System.Net.WebSockets;
using System.Runtime.InteropServices;
using Gateway.FunctionalTests.Infrastructure;

namespace Gateway.FunctionalTests.Deepgram;

/// <summary>
/// <c>/v1/listen</c> beyond one raw stream: <c>multichannel=true</c> (each channel its own session) and containerised
/// audio (no <c>encoding</c>) decoded by the real ffmpeg.
/// </summary>
public sealed class DeepgramStreamsTests
{
    private static readonly SpeechFixture Fixture = SpeechFixture.ThreeUtterances;
    private static readonly List<string> BareWords = Fixture.Words.Select(w => w.Trim('.', ',').ToLowerInvariant()).ToList();

    [Fact(Timeout = 60_000)]
    public async Task Listen_MultichannelStereo_EachChannelItsOwnStreamWithChannelIndex()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var client = await DeepgramRawClient.ConnectAsync(gateway.Stream("/v1/listen", "?encoding=linear16&sample_rate=16000&channels=2&multichannel=true&vad_events=true"));

        // Left: the speech; right: silence. Mixed to mono, the watermark would not survive; split, every word does.
        var stereo = new short[Fixture.Samples.Length * 2];
        for (var i = 0; i < Fixture.Samples.Length; i++)
        {
            stereo[2 * i] = Fixture.Samples[i];
        }

        await client.SendAudioAsync(MemoryMarshal.AsBytes(stereo.AsSpan()).ToArray(), 6_002); // chunks that split sample frames
        await client.CloseStreamAsync();
        await client.ReceiveUntilClosedAsync();

        Assert.All(client.Finals, f => Assert.Equal([0, 2], f.GetProperty("channel_index").EnumerateArray().Select(e => e.GetInt32())));
        Assert.Equal(BareWords, Words(client.Finals.Select(DeepgramRawClient.Transcript)));
        Assert.Equal(Fixture.Spans.Count, client.Messages.Count(m => DeepgramRawClient.Type(m) == "SpeechStarted"));
        var metadata = Assert.Single(client.Messages, m => DeepgramRawClient.Type(m) == "Metadata");
        Assert.Equal(2, metadata.GetProperty("channels").GetInt32());
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
    }

    [Fact(Timeout = 60_000)]
    public async Task Listen_WavWithoutEncoding_DecodedByFfmpegEveryWord()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var client = await DeepgramRawClient.ConnectAsync(gateway.Stream("/v1/listen", "?sample_rate=16000"));

        await client.SendAudioAsync(Wav.Bytes(Fixture.Samples), 4_096);
        await client.CloseStreamAsync();
        await client.ReceiveUntilClosedAsync();

        Assert.Equal(BareWords, Words(client.Utterances));
        Assert.Equal(Fixture.Samples.Length / 16_000.0, client.Messages[^1].GetProperty("duration").GetDouble(), 1);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
    }

    [Fact(Timeout = 60_000)]
    public async Task Listen_WebmOpusLikeMediaRecorder_SpeechIsDetectedInEveryUtterance()
    {
        var webm = await EncodeWebmAsync(Wav.Bytes(Fixture.Samples));
        await using var gateway = await TestGateway.StartAsync();
        await using var client = await DeepgramRawClient.ConnectAsync(gateway.Stream("/v1/listen", "?vad_events=true"));

        // Opus is lossy, so the simulator's watermark does not survive; the speech itself must.
        await client.SendAudioAsync(webm, 2_000);
        await client.CloseStreamAsync();
        await client.ReceiveUntilClosedAsync();

        Assert.Equal(Fixture.Spans.Count, client.Messages.Count(m => DeepgramRawClient.Type(m) == "SpeechStarted"));
        Assert.Equal(Fixture.Samples.Length / 16_000.0, client.Messages[^1].GetProperty("duration").GetDouble(), 0);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
    }

    [Fact(Timeout = 30_000)]
    public async Task Listen_RawPcmWithoutEncoding_ErrorThenClose1008Data0000()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var client = await DeepgramRawClient.ConnectAsync(gateway.Stream("/v1/listen"));

        // The declared encoding (none: a container) does not match the audio (raw PCM). ffmpeg probes up to 1 MB
        // before it gives up on a live stream; the end of the stream makes it decide.
        await client.SendAudioAsync(Fixture.Pcm16Bytes, 3_200);
        await client.CloseStreamAsync();
        var error = await client.ExpectAsync(m => DeepgramRawClient.Type(m) == "Error");
        await client.ReceiveUntilClosedAsync();

        Assert.Contains("could not be decoded", error.GetProperty("description").GetString());
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, client.CloseStatus);
        Assert.StartsWith("DATA-0000", client.CloseDescription);
    }

    private static List<string> Words(IEnumerable<string> texts) =>
        texts.SelectMany(t => t.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();

    private static async Task<byte[]> EncodeWebmAsync(byte[] wav)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-hide_banner", "-loglevel", "error", "-f", "wav", "-i", "pipe:0", "-c:a", "libopus", "-b:a", "32k", "-f", "webm", "pipe:1" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        using var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardInput.BaseStream.WriteAsync(wav);
        process.StandardInput.Close();
        await copy;
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await errors);
        return output.ToArray();
    }
}
