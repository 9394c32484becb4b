using System.Text.Json;
using Gateway.Cli.Tests.EndToEnd;
using Gateway.Cli.Tests.Infrastructure;
using Gateway.FunctionalTests.Infrastructure;

namespace Gateway.Cli.Tests.Ingest;

/// <summary>Server-side ingests of real network sources through real ffmpeg: captions in the room, the VTT/SRT files and the HLS subtitle playlist.</summary>
public sealed class IngestSourceTests
{
    internal static readonly Dictionary<string, string?> Loopback = new()
    {
        ["Outbound:AllowPrivateNetworks"] = "true", // the sources are on loopback; SSRF protection is tested in IngestBadInputTests
        ["Ingests:InitialBackoff"] = "00:00:00.200",
        ["Ingests:MaxBackoff"] = "00:00:01",
    };

    [Fact(Timeout = 40_000)]
    public async Task Ingest_RtspL16Source_RoomAndVttHoldEveryWordOnTheFixtureTimeline()
    {
        await using var gateway = await TestGateway.StartAsync(Loopback);
        using var api = new IngestApi(gateway.Http);
        var fixture = SpeechFixture.ThreeUtterances;
        await using var rtsp = new RtspServer(fixture.Samples);

        var id = await api.CreateAsync(new { url = rtsp.Url.ToString(), room = "cam1", speaker = "camera" });
        var done = await api.WaitAsync(id, i => IngestApi.Finals(i) >= fixture.Spans.Count, TimeSpan.FromSeconds(25));

        Assert.Contains("pcm_s16be, 16000 Hz, mono", done.GetProperty("source_format").GetString());
        var vtt = SubRip.ParseVtt(await api.TextAsync($"/v1/ingests/{id}/captions.vtt"));
        CaptionAssert.CuesAreFixtureWords(fixture, vtt);
        var srt = SubRip.ParseSrt(await api.TextAsync($"/v1/ingests/{id}/captions.srt"));
        Assert.Equal(vtt.Select(c => (c.StartMs, c.Text)), srt.Select(c => (c.StartMs, c.Text)));
        using var transcript = JsonDocument.Parse(await api.TextAsync("/v1/rooms/cam1/transcript?format=json"));
        var segments = transcript.RootElement.GetProperty("segments").EnumerateArray().ToList();
        Assert.Equal(vtt.Select(c => c.Text), segments.Select(s => s.GetProperty("text").GetString()));
        Assert.All(segments, s => Assert.Equal("camera", s.GetProperty("speaker").GetString()));

        var (status, stopped) = await api.DeleteAsync(id);
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        Assert.Equal("stopped", IngestApi.State(stopped));
    }

    /// <summary>
    /// The fixture's pauses are 1.3-1.4 s: with the default 500 ms endpoint it is three finals, with the request's
    /// <c>segmentation.endpoint_silence_ms</c> of 2 s one final holding all three utterances.
    /// </summary>
    [Fact(Timeout = 40_000)]
    public async Task Ingest_WithSegmentation_TheSessionSegmentsWithTheRequestedEndpoint()
    {
        await using var gateway = await TestGateway.StartAsync(Loopback);
        using var api = new IngestApi(gateway.Http);
        var fixture = SpeechFixture.ThreeUtterances;
        await using var rtsp = new RtspServer(fixture.Samples);

        var id = await api.CreateAsync(new { url = rtsp.Url.ToString(), room = "seg", segmentation = new { endpoint_silence_ms = 2000, max_segment_ms = 20_000 } });
        await api.WaitAsync(id, i => IngestApi.Finals(i) >= 1, TimeSpan.FromSeconds(25));

        var cue = Assert.Single(SubRip.ParseVtt(await api.TextAsync($"/v1/ingests/{id}/captions.vtt")));
        Assert.Equal(fixture.Words, cue.Text.Split(' ').Select(w => w.TrimEnd('.')));
        await api.DeleteAsync(id);
    }

    [Fact(Timeout = 60_000)]
    public async Task Ingest_LiveHlsSources16kMonoAnd48kStereo_CaptionedSideBySideAndThePlaylistParsesAsHls()
    {
        await using var gateway = await TestGateway.StartAsync(Loopback);
        using var api = new IngestApi(gateway.Http);
        using var dir = new TempDirectory();
        var fixture = SpeechFixture.ThreeUtterances;
        var wav = Media.WatermarkedWav(dir);
        // The mono origin's media timeline starts at 20 s (as a channel's does, far from 0): the subtitle segments must say so.
        await using var monoOrigin = await LiveHlsOrigin.StartAsync(wav, dir.File("mono"), "-c:a", "flac", "-output_ts_offset", "20");
        await using var stereoOrigin = await LiveHlsOrigin.StartAsync(wav, dir.File("stereo"), "-c:a", "flac", "-ar", "48000", "-ac", "2");
        // Posted before ffmpeg wrote a playlist: the first attempts get 404 and are retried.
        var mono = await api.CreateAsync(new { url = monoOrigin.Playlist.ToString(), room = "hls", speaker = "mono" });
        var stereo = await api.CreateAsync(new { url = stereoOrigin.Playlist.ToString(), room = "hls", speaker = "stereo" });

        await api.WaitAsync(mono, i => IngestApi.Finals(i) >= fixture.Spans.Count, TimeSpan.FromSeconds(40));
        var stereoDone = await api.WaitAsync(stereo, i => IngestApi.Finals(i) >= fixture.Spans.Count, TimeSpan.FromSeconds(20));

        var cues = SubRip.ParseVtt(await api.TextAsync($"/v1/ingests/{mono}/captions.vtt"));
        CaptionAssert.CuesAreFixtureWords(fixture, cues);
        Assert.Contains("48000 Hz, stereo", stereoDone.GetProperty("source_format").GetString());
        // Resampled to 48 kHz and back the watermark is gone: the simulator's block tokens, at the fixture's times.
        var stereoCues = SubRip.ParseVtt(await api.TextAsync($"/v1/ingests/{stereo}/captions.vtt"));
        CaptionAssert.CuesCoverSpans(fixture, stereoCues, slackMs: 150);
        CaptionAssert.CuesAreBlockTokens(stereoCues);

        await api.DeleteAsync(mono);
        var playlist = await api.TextAsync($"/v1/ingests/{mono}/subtitles.m3u8");
        Assert.Contains("#EXT-X-ENDLIST", playlist);
        var parsed = await SubtitlePlaylist.ReadWithFfmpegAsync(new Uri(gateway.Http, $"/v1/ingests/{mono}/subtitles.m3u8"));
        Assert.Equal(cues.Select(c => (c.StartMs, c.EndMs, c.Text)), parsed);

        // X-TIMESTAMP-MAP puts each cue on the source's media timeline: the fixture's words where the origin has them.
        var mediaStart = await SubtitlePlaylist.MediaStartSecondsAsync(Path.Combine(dir.File("mono"), "index.m3u8"));
        Assert.InRange(mediaStart, 19.9, 20.5);
        for (var k = 0; k < 2; k++)
        {
            var segment = await api.TextAsync($"/v1/ingests/{mono}/subtitles/{k}.vtt");
            var atZero = SubtitlePlaylist.TimestampMapAtZero(segment);
            Assert.InRange(atZero / 90_000.0, mediaStart - 0.05, mediaStart + 0.05);
        }

        var firstWordMedia = SubtitlePlaylist.TimestampMapAtZero(await api.TextAsync($"/v1/ingests/{mono}/subtitles/0.vtt")) / 90_000.0 + cues[0].StartMs / 1000;
        Assert.InRange(firstWordMedia, mediaStart + fixture.Spans[0].Start / 16_000.0 - 0.5, mediaStart + fixture.Spans[0].Start / 16_000.0 + 0.5);
    }
}
