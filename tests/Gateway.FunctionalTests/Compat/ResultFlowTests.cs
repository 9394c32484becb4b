using System.Net.WebSockets;
using Gateway.Core.Sessions;
using Gateway.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gateway.FunctionalTests.Compat;

/// <summary>Results reaching compatible clients over real sockets, with <see cref="ScriptedPipelineFactory"/> producing them.</summary>
public sealed class ResultFlowTests
{
    [Fact(Timeout = 60_000)]
    public async Task WhisperLive_EndOfAudio_FinalSegmentsFlushedBeforeTheClose()
    {
        await using var gateway = await StartAsync("and", "so", "my", "fellow");
        await using var client = await WhisperLiveClient.ConnectAsync(gateway.Stream("/"));
        await client.SendOptionsAsync(o => o["language"] = "en");
        await client.ExpectAsync();
        await client.SendAudioAsync(new byte[4 * 32_000]); // 2 s of float32 silence: the script ignores content

        await client.SendEndOfAudioBinaryAsync();
        var messages = await client.ReceiveUntilClosedAsync();

        Assert.Equal(
            [
                """{"uid":"U","segments":[{"start":"0.000","end":"1.000","text":" and","completed":false}]}""",
                """{"uid":"U","segments":[{"start":"0.000","end":"2.000","text":" and so","completed":false}]}""",
                """{"uid":"U","segments":[{"start":"0.000","end":"2.000","text":" and so. my fellow.","completed":true}]}""",
            ],
            messages.Select(m => m.GetRawText().Replace(client.Uid, "U", StringComparison.Ordinal)));
        Assert.Equal([("0.000", "2.000", " and so. my fellow.")], client.Transcript);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
    }

    [Fact(Timeout = 60_000)]
    public async Task FunAsr2Pass_PythonClientTwoUtterances_DeltasSentencesTerminalAndAckEach()
    {
        await using var gateway = await StartAsync("今天", "天气", "不错");
        await using var client = await FunAsrClient.ConnectAsync(gateway.Stream("/funasr"));

        var utterances = new List<List<string>>();
        foreach (var name in new[] { "utt-1", "utt-2" })
        {
            await client.SendPythonConfigAsync("2pass", name);
            await client.SendAudioAsync(Audio.Pcm16(1_000));
            await client.SendTextAsync("""{"is_speaking":false,"is_end":true}""");
            utterances.Add((await client.ReceiveUntilEndAckAsync()).Select(m => m.GetRawText()).ToList());
        }

        Assert.Equal(
            [
                """{"is_final":false,"mode":"2pass-online","text":"今天","wav_name":"utt-2"}""",
                """{"is_final":false,"mode":"2pass-online","text":" 天气","wav_name":"utt-2"}""",
                """{"end_time":500,"is_final":false,"mode":"2pass-offline","start_time":0,"text":"今天 天气.","wav_name":"utt-2"}""",
                """{"end_time":1000,"is_final":false,"mode":"2pass-offline","start_time":500,"text":"不错.","wav_name":"utt-2"}""",
                """{"is_final":true,"text":"","wav_name":"utt-2"}""",
                """{"is_end":true,"is_final":true,"mode":"2pass","wav_name":"utt-2"}""",
            ],
            utterances[1]);
        Assert.Equal(utterances[1].Select(m => m.Replace("utt-2", "utt-1", StringComparison.Ordinal)), utterances[0]);
    }

    [Fact(Timeout = 60_000)]
    public async Task FunAsrOffline_CppClient_OneMessageWithTheWholeTextPerFile()
    {
        await using var gateway = await StartAsync("hello", "world", "again");
        await using var client = await FunAsrClient.ConnectAsync(gateway.Stream("/funasr/offline"));

        await client.SendTextAsync("""{"chunk_size":[5,10,5],"wav_name":"a.wav","wav_format":"pcm","audio_fs":16000,"is_speaking":true}""");
        await client.SendAudioAsync(Audio.Pcm16(500), frameBytes: 204_800);
        await client.SendTextAsync("""{"is_speaking":false}""");

        Assert.Equal("""{"is_final":false,"mode":"offline","text":"hello world. again.","wav_name":"a.wav"}""", await client.ExpectRawAsync());
        Assert.Empty(await client.CloseAndDrainAsync());
    }

    private static Task<TestGateway> StartAsync(params string[] words) =>
        TestGateway.StartAsync(configure: builder =>
            builder.Services.Replace(ServiceDescriptor.Singleton<ISpeechPipelineFactory>(new ScriptedPipelineFactory(words))));
}
