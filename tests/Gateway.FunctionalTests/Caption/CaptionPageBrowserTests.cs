using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gateway.FunctionalTests.Infrastructure;

namespace Gateway.FunctionalTests.Caption;

/// <summary>
/// The caption page in a real headless Chromium whose fake microphone plays the speech fixture: the page captures
/// through its AudioWorklet, resamples to 16 kHz, streams to a real gateway with the simulator upstream, and shows
/// the finals. Chromium resamples and loops the file, which destroys the watermark, so the simulator's text is
/// its per-second block tokens (docs/simulator.md).
/// </summary>
public sealed partial class CaptionPageBrowserTests
{
    [Fact(Timeout = 60_000)]
    public async Task Page_FakeMicrophoneSpeech_ShowsFinalsWithTimesAndDownloadsMatchingSrt()
    {
        await using var gateway = await TestGateway.StartAsync();
        var wav = Path.Combine(AppContext.BaseDirectory, "fixtures", "vad", "three_utterances.wav");
        await using var chromium = await HeadlessChromium.LaunchAsync(fakeMicrophoneWav: wav);
        await chromium.NavigateAsync(gateway.Http);
        await chromium.WaitForAsync("!document.getElementById('start').disabled", TimeSpan.FromSeconds(10));
        Assert.Equal(new Uri(gateway.WebSocket, "/v1/stream").ToString(), (await chromium.EvaluateAsync("document.getElementById('server').value")).GetString());

        await chromium.EvaluateAsync("document.getElementById('language').value = 'en'; document.getElementById('start').click()", userGesture: true);
        await chromium.WaitForAsync("document.getElementById('status').textContent.startsWith('Connected')", TimeSpan.FromSeconds(15));
        await chromium.WaitForAsync("document.querySelectorAll('#history li.final').length >= 2", TimeSpan.FromSeconds(30));
        await chromium.EvaluateAsync("document.getElementById('stop').click()", userGesture: true);
        await chromium.WaitForAsync("document.getElementById('status').textContent === 'Stopped'", TimeSpan.FromSeconds(15));

        var history = (await chromium.EvaluateAsync(
                "[...document.querySelectorAll('#history li.final')].map(li => [li.querySelector('time').textContent, li.querySelector('span').textContent])"))
            .EnumerateArray().Select(e => (Time: e[0].GetString()!, Text: e[1].GetString()!)).ToList();
        Assert.True(history.Count >= 2, $"{history.Count} finals");
        Assert.All(history, h => Assert.Matches(BlockTokens(), h.Text));
        Assert.All(history, h => Assert.Matches(HistoryTime(), h.Time));
        Assert.True(gateway.Simulator.Stats.UtterancesCompleted >= history.Count);

        // The downloads are built in the page from the same finals: one SRT cue per history entry, same times and text.
        var downloads = Directory.CreateTempSubdirectory("gateway-downloads-").FullName;
        try
        {
            await chromium.AllowDownloadsAsync(downloads);
            await chromium.EvaluateAsync("document.getElementById('download-srt').click(); document.getElementById('download-vtt').click()", userGesture: true);
            var srt = await DownloadedAsync(Path.Combine(downloads, "transcript.srt"));
            var vtt = await DownloadedAsync(Path.Combine(downloads, "transcript.vtt"));

            var cues = srt.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(history.Count, cues.Length);
            for (var i = 0; i < cues.Length; i++)
            {
                var lines = cues[i].Split('\n');
                Assert.Equal((i + 1).ToString(CultureInfo.InvariantCulture), lines[0]);
                Assert.Equal(history[i].Time.Replace('.', ',').Replace(" – ", " --> ", StringComparison.Ordinal), lines[1]);
                Assert.Equal(history[i].Text, lines[2]);
            }

            Assert.StartsWith("WEBVTT\n\n1\n", vtt, StringComparison.Ordinal);
            Assert.Contains(history[0].Time.Replace(" – ", " --> ", StringComparison.Ordinal), vtt, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(downloads, recursive: true);
        }

        var png = await chromium.ScreenshotAsync();
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png.AsSpan(0, 4).ToArray());
        var artifacts = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(artifacts, "caption-page.png"), png);
    }

    [Fact(Timeout = 60_000)]
    public async Task Page_ServerFull_StatusShowsTheEstimatedWaitAndStartIsOfferedAgain()
    {
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>
        {
            ["Admission:MaxClients"] = "1",
            ["Admission:MaxConnectionTime"] = "00:05:00",
        });
        await using var holder = await StreamClient.ConnectAsync(gateway.Stream());
        await holder.StartAsync();
        var wav = Path.Combine(AppContext.BaseDirectory, "fixtures", "vad", "three_utterances.wav");
        await using var chromium = await HeadlessChromium.LaunchAsync(fakeMicrophoneWav: wav);
        await chromium.NavigateAsync(gateway.Http);
        await chromium.WaitForAsync("!document.getElementById('start').disabled", TimeSpan.FromSeconds(10));

        await chromium.EvaluateAsync("document.getElementById('start').click()", userGesture: true);
        await chromium.WaitForAsync("document.getElementById('status').textContent.startsWith('Server full')", TimeSpan.FromSeconds(15));
        await chromium.WaitForAsync("!document.getElementById('start').disabled", TimeSpan.FromSeconds(10));

        var status = (await chromium.EvaluateAsync("document.getElementById('status').textContent")).GetString()!;
        var wait = EstimatedWait().Match(status);
        Assert.True(wait.Success, status);
        // The one session expires 5 minutes after it was admitted, a few seconds ago.
        Assert.InRange(int.Parse(wait.Groups[1].Value, CultureInfo.InvariantCulture), 240, 300);
        Assert.Equal("status warn", (await chromium.EvaluateAsync("document.getElementById('status').className")).GetString());
    }

    [Fact(Timeout = 60_000)]
    public async Task Page_OverTlsWithKestrelCertificate_SecureContextStreamsOverWss()
    {
        // The configuration docs/clients.md gives for microphone access from other machines: a Kestrel HTTPS endpoint with PEM files.
        var certificates = Directory.CreateTempSubdirectory("gateway-tls-").FullName;
        try
        {
            var (certificate, key) = WriteSelfSignedPem(certificates);
            await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>
            {
                ["Kestrel:Endpoints:Https:Url"] = "https://127.0.0.1:0",
                ["Kestrel:Endpoints:Https:Certificate:Path"] = certificate,
                ["Kestrel:Endpoints:Https:Certificate:KeyPath"] = key,
            });
            Assert.Equal("https", gateway.Http.Scheme);
            var wav = Path.Combine(AppContext.BaseDirectory, "fixtures", "vad", "three_utterances.wav");
            await using var chromium = await HeadlessChromium.LaunchAsync(fakeMicrophoneWav: wav);
            await chromium.SendAsync("Security.setIgnoreCertificateErrors", new { ignore = true });
            await chromium.NavigateAsync(gateway.Http);
            await chromium.WaitForAsync("!document.getElementById('start').disabled", TimeSpan.FromSeconds(10));

            Assert.Equal(JsonValueKind.True, (await chromium.EvaluateAsync("window.isSecureContext")).ValueKind);
            Assert.Equal($"wss://127.0.0.1:{gateway.Http.Port}/v1/stream", (await chromium.EvaluateAsync("document.getElementById('server').value")).GetString());
            await chromium.EvaluateAsync("document.getElementById('start').click()", userGesture: true);
            await chromium.WaitForAsync("document.querySelectorAll('#history li.final').length >= 1", TimeSpan.FromSeconds(30));
            Assert.StartsWith("Connected", (await chromium.EvaluateAsync("document.getElementById('status').textContent")).GetString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(certificates, recursive: true);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Resampler_InChromium_FlatPassbandAndAtLeast60DbStopbandFromEveryContextRate()
    {
        await using var gateway = await TestGateway.StartAsync();
        await using var chromium = await HeadlessChromium.LaunchAsync();
        await chromium.NavigateAsync(gateway.Http);

        // Tones through the page's own resampler module, fed in 128-frame render quanta like the worklet's.
        var measured = await chromium.EvaluateAsync("""
            import('/caption/resampler.js').then(({ Resampler }) => {
              const levels = {};
              for (const rate of [44100, 48000]) {
                for (const hz of [1000, 7000, 9000, 12000, 20000]) {
                  const resampler = new Resampler(rate);
                  const out = [];
                  const block = new Float32Array(128);
                  for (let i = 0; i < rate; i += 128) {
                    for (let j = 0; j < 128; j++) block[j] = Math.sin(2 * Math.PI * hz * (i + j) / rate);
                    out.push(...resampler.process(block));
                  }
                  const steady = out.slice(2000, 14000);
                  const rms = Math.sqrt(steady.reduce((s, v) => s + v * v, 0) / steady.length);
                  levels[`${rate}/${hz}`] = { db: 20 * Math.log10(rms / Math.SQRT1_2 + 1e-12), samples: out.length };
                }
              }
              return levels;
            })
            """);

        foreach (var rate in new[] { 44100, 48000 })
        {
            foreach (var (hz, level) in new[] { (1000, "pass"), (7000, "pass"), (9000, "stop"), (12000, "stop"), (20000, "stop") })
            {
                var tone = measured.GetProperty($"{rate}/{hz}");
                var db = tone.GetProperty("db").GetDouble();
                Assert.True(level == "pass" ? Math.Abs(db) < 0.1 : db < -60, $"{hz} Hz from {rate} Hz: {db:0.0} dB");
                // One second in, one second (less the filter's half length) out.
                Assert.InRange(tone.GetProperty("samples").GetInt32(), 15900, 16000);
            }
        }
    }

    private static (string Certificate, string Key) WriteSelfSignedPem(string folder)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var paths = (Path.Combine(folder, "fullchain.pem"), Path.Combine(folder, "privkey.pem"));
        File.WriteAllText(paths.Item1, certificate.ExportCertificatePem());
        File.WriteAllText(paths.Item2, key.ExportPkcs8PrivateKeyPem());
        return paths;
    }

    private static async Task<string> DownloadedAsync(string path)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!File.Exists(path))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"{Path.GetFileName(path)} was not downloaded");
            await Task.Delay(100);
        }

        return await File.ReadAllTextAsync(path);
    }

    [GeneratedRegex(@"^blk[0-9a-f]{4}( blk[0-9a-f]{4})*\.?$")]
    private static partial Regex BlockTokens();

    [GeneratedRegex(@"^Server full \(1 sessions\) — estimated wait (\d+) s\.")]
    private static partial Regex EstimatedWait();

    [GeneratedRegex(@"^\d{2}:\d{2}:\d{2}\.\d{3} – \d{2}:\d{2}:\d{2}\.\d{3}$")]
    private static partial Regex HistoryTime();
}
