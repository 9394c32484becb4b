using System.Runtime.InteropServices;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gateway.FunctionalTests.Infrastructure;
using NAudio.Wave;

namespace Gateway.FunctionalTests.Rooms;

/// <summary>
/// A meeting in real headless Chromium: two participant pages, each with its own fake microphone playing a different
/// WAV, and one viewer page in the same room. The viewer's DOM must show both speakers' finals, each labelled with
/// the speaker whose page produced it. (Chromium resamples the fake microphone, so the simulator's text is block
/// tokens, different for each WAV; see CaptionPageBrowserTests.)
/// </summary>
public sealed partial class RoomPageBrowserTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(40);

    [Fact(Timeout = 120_000)]
    public async Task RoomPage_TwoParticipantsOneViewer_ViewerShowsBothSpeakersLabelledAndOffersTheTranscript()
    {
        await using var gateway = await TestGateway.StartAsync();
        Assert.Equal(HttpStatusCode.Created, (await RoomApi.CreateAsync(gateway, new { name = "demo" })).Status);
        var first = Path.Combine(AppContext.BaseDirectory, "fixtures", "vad", "three_utterances.wav");
        var second = Path.Combine(Directory.CreateTempSubdirectory("gateway-room-").FullName, "shifted.wav");
        WriteShifted(first, second, silenceMs: 700);
        try
        {
            await using var viewer = await HeadlessChromium.LaunchAsync();
            await viewer.NavigateAsync(new Uri(gateway.Http, "/room/?room=demo&view=viewer"));
            await viewer.WaitForAsync("document.getElementById('status').textContent.startsWith('Following demo')", Wait);

            await using var alice = await JoinAsync(gateway, first, "Alice");
            await using var bob = await JoinAsync(gateway, second, "Bob");
            await viewer.WaitForAsync(
                "['Alice','Bob'].every(s => document.querySelectorAll(`#captions li.final[data-speaker=\"${s}\"]`).length >= 1)", Wait);

            foreach (var page in new[] { alice, bob })
            {
                await page.EvaluateAsync("document.getElementById('leave').click()", userGesture: true);
                await page.WaitForAsync("document.getElementById('status').textContent === 'Left the room'", Wait);
            }

            var mine = new Dictionary<string, List<string>>
            {
                ["Alice"] = await OwnFinalsAsync(alice),
                ["Bob"] = await OwnFinalsAsync(bob),
            };
            await viewer.WaitForAsync(
                $"document.querySelectorAll('#captions li.final').length === {mine.Values.Sum(v => v.Count)}", Wait);
            var shown = (await viewer.EvaluateAsync(
                    "[...document.querySelectorAll('#captions li.final')].map(li => [li.dataset.speaker, li.querySelector('.speaker').textContent, li.querySelector('.text').textContent, getComputedStyle(li.querySelector('.speaker')).color])"))
                .EnumerateArray().Select(e => (Speaker: e[0].GetString()!, Label: e[1].GetString()!, Text: e[2].GetString()!, Colour: e[3].GetString()!)).ToList();

            foreach (var (name, texts) in mine)
            {
                Assert.NotEmpty(texts);
                Assert.All(texts, t => Assert.Matches(BlockTokens(), t));
                var labelled = shown.Where(s => s.Speaker == name).ToList();
                Assert.All(labelled, s => Assert.Equal(name, s.Label));
                Assert.Equal(texts.Order(), labelled.Select(s => s.Text).Order());
            }

            // Each speaker has one colour, and the two differ.
            var colours = shown.GroupBy(s => s.Speaker).ToDictionary(g => g.Key, g => Assert.Single(g.Select(s => s.Colour).Distinct()));
            Assert.NotEqual(colours["Alice"], colours["Bob"]);

            // The downloads are the server's transcript: the same speaker-labelled lines.
            Assert.Equal("/v1/rooms/demo/transcript?format=srt", (await viewer.EvaluateAsync("new URL(document.getElementById('download-srt').href).pathname + new URL(document.getElementById('download-srt').href).search")).GetString());
            var srt = (await RoomApi.GetAsync(gateway, "/v1/rooms/demo/transcript?format=srt")).Body;
            Assert.Equal(shown.Select(s => $"{s.Speaker}: {s.Text}").Order(), srt.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(c => c.Split('\n')[2]).Order());

            var artifacts = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts")).FullName;
            await File.WriteAllBytesAsync(Path.Combine(artifacts, "room-viewer.png"), await viewer.ScreenshotAsync());
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(second)!, recursive: true);
        }
    }

    private static async Task<HeadlessChromium> JoinAsync(TestGateway gateway, string wav, string name)
    {
        var page = await HeadlessChromium.LaunchAsync(fakeMicrophoneWav: wav);
        try
        {
            await page.NavigateAsync(new Uri(gateway.Http, $"/room/?room=demo&name={name}"));
            await page.WaitForAsync("!document.getElementById('join').disabled", Wait);
            await page.EvaluateAsync("document.getElementById('join').click()", userGesture: true);
            await page.WaitForAsync($"document.getElementById('status').textContent === 'Speaking in demo as {name}'", Wait);
            return page;
        }
        catch
        {
            await page.DisposeAsync();
            throw;
        }
    }

    private static async Task<List<string>> OwnFinalsAsync(HeadlessChromium page) =>
        (await page.EvaluateAsync("[...document.querySelectorAll('#mine li.final span')].map(s => s.textContent)"))
            .EnumerateArray().Select(e => e.GetString()!).ToList();

    /// <summary>The fixture with leading silence: other audio, so other block tokens, from the same speech.</summary>
    private static void WriteShifted(string source, string target, int silenceMs)
    {
        using var reader = new WaveFileReader(source);
        var speech = new byte[reader.Length];
        reader.ReadExactly(speech);
        var samples = new short[silenceMs * 16 + speech.Length / 2];
        MemoryMarshal.Cast<byte, short>(speech).CopyTo(samples.AsSpan(silenceMs * 16));
        Wav.Write(target, samples);
    }

    [GeneratedRegex(@"^blk[0-9a-f]{4}( blk[0-9a-f]{4})*\.?$")]
    private static partial Regex BlockTokens();
}
