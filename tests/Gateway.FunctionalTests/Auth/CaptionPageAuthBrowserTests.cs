using Gateway.Core.Auth;
using Gateway.FunctionalTests.Infrastructure;

namespace Gateway.FunctionalTests.Auth;

/// <summary>The caption page in headless Chromium with auth on: opened with ?token=KEY, it streams on a granted token.</summary>
public sealed class CaptionPageAuthBrowserTests
{
    private const string Key = "sk-page-0123456789";

    [Fact(Timeout = 60_000)]
    public async Task Page_AuthOnWithKeyInThePageUrl_StreamsOnAGrantAndShowsFinals()
    {
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>
        {
            ["Auth:Enabled"] = "true",
            ["Auth:Keys:0:Name"] = "page",
            ["Auth:Keys:0:Hash"] = ApiKeys.HashOf(Key),
            ["Auth:Keys:0:Scopes:0"] = Scopes.Stream,
        });
        var wav = Path.Combine(AppContext.BaseDirectory, "fixtures", "vad", "three_utterances.wav");
        await using var chromium = await HeadlessChromium.LaunchAsync(fakeMicrophoneWav: wav);
        await chromium.NavigateAsync(new Uri(gateway.Http, "/caption/?token=" + Key));
        await chromium.WaitForAsync("!document.getElementById('start').disabled", TimeSpan.FromSeconds(10));

        await chromium.EvaluateAsync("document.getElementById('start').click()", userGesture: true);
        await chromium.WaitForAsync("document.getElementById('status').textContent.startsWith('Connected')", TimeSpan.FromSeconds(15));
        await chromium.WaitForAsync("document.querySelectorAll('#history li.final').length >= 1", TimeSpan.FromSeconds(30));
        await chromium.EvaluateAsync("document.getElementById('stop').click()", userGesture: true);
    }
}
