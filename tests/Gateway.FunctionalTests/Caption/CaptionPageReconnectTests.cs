using Gateway.Core.Results;
using Gateway.Core.Sessions;
using Gateway.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gateway.FunctionalTests.Caption;

/// <summary>
/// The caption page in headless Chromium streams through a <see cref="DroppingProxy"/> that resets its connection in
/// the middle of a phrase and refuses new ones for a while: the page shows "reconnecting…", resumes the session, and
/// its transcript is exactly the finals the gateway produced for the session, each once, in order.
/// </summary>
public sealed class CaptionPageReconnectTests
{
    private const string Finals = "[...document.querySelectorAll('#history li.final')]";

    [Fact(Timeout = 90_000)]
    public async Task Page_ConnectionResetMidPhrase_ShowsReconnectingThenEveryFinalExactlyOnce()
    {
        var recorder = new FinalsRecorder();
        await using var gateway = await TestGateway.StartAsync(configure: builder =>
            builder.Services.Replace(ServiceDescriptor.Singleton<ISessionAttachments>(recorder)));
        await using var proxy = new DroppingProxy(gateway.Http);
        var wav = Path.Combine(AppContext.BaseDirectory, "fixtures", "vad", "three_utterances.wav");
        await using var chromium = await HeadlessChromium.LaunchAsync(fakeMicrophoneWav: wav);
        await chromium.NavigateAsync(proxy.Through(gateway.Http)); // the page too, so its socket is same-origin
        await chromium.WaitForAsync("!document.getElementById('start').disabled", TimeSpan.FromSeconds(10));
        await chromium.EvaluateAsync("document.getElementById('start').click()", userGesture: true);
        await chromium.WaitForAsync("document.getElementById('status').textContent.startsWith('Connected')", TimeSpan.FromSeconds(15));

        // Mid-phrase, after a final: the resume has to replay nothing already shown and lose nothing in flight.
        await chromium.WaitForAsync($"{Finals}.length >= 1", TimeSpan.FromSeconds(30));
        await chromium.WaitForAsync("!document.getElementById('speaking').hidden", TimeSpan.FromSeconds(30));
        proxy.Refusing = true;
        Assert.True(proxy.ResetAll() >= 1);
        await chromium.WaitForAsync("document.getElementById('status').textContent.startsWith('Connection lost — reconnecting…')", TimeSpan.FromSeconds(10));
        Assert.Equal("status warn", (await chromium.EvaluateAsync("document.getElementById('status').className")).GetString());
        await Task.Delay(TimeSpan.FromSeconds(1)); // how long the network is down is what this test is about
        proxy.Refusing = false;
        await chromium.WaitForAsync("document.getElementById('status').textContent.startsWith('Reconnected')", TimeSpan.FromSeconds(15));

        var shown = await chromium.EvaluateAsync($"{Finals}.length");
        await chromium.WaitForAsync($"{Finals}.length >= {shown.GetInt32() + 2}", TimeSpan.FromSeconds(30));
        await chromium.EvaluateAsync("document.getElementById('stop').click()", userGesture: true);
        await chromium.WaitForAsync("document.getElementById('status').textContent === 'Stopped'", TimeSpan.FromSeconds(15));

        var sessionId = (await chromium.EvaluateAsync("document.getElementById('status').dataset.session")).GetString()!;
        var page = (await chromium.EvaluateAsync($"{Finals}.map(li => [Number(li.dataset.segment), li.querySelector('span').textContent])"))
            .EnumerateArray().Select(e => (Segment: e[0].GetInt64(), Text: e[1].GetString()!)).ToList();
        var produced = recorder.Of(sessionId).Where(f => f.Text.Length > 0).Select(f => (Segment: f.SegmentId, f.Text)).ToList();
        Assert.True(produced.Count >= 3, $"{produced.Count} finals");
        Assert.Equal(produced, page);
        Assert.Equal(0, (await chromium.EvaluateAsync("document.querySelectorAll('#history li.problem').length")).GetInt32());
    }

    /// <summary>Every final the gateway's pipeline produced, per session: what the page must show, once each.</summary>
    private sealed class FinalsRecorder : ISessionAttachments
    {
        private readonly Dictionary<string, List<FinalEvent>> _finals = [];

        public ValueTask<SessionAttachment> AttachAsync(string sessionId, StreamSettings settings)
        {
            var finals = new List<FinalEvent>();
            lock (_finals)
            {
                _finals[sessionId] = finals;
            }

            return ValueTask.FromResult(new SessionAttachment(settings, new Observer(finals), null));
        }

        public List<FinalEvent> Of(string sessionId)
        {
            lock (_finals)
            {
                var finals = _finals[sessionId];
                lock (finals)
                {
                    return [.. finals];
                }
            }
        }

        private sealed class Observer(List<FinalEvent> finals) : ISessionObserver
        {
            public void OnResult(ServerEvent result)
            {
                if (result is FinalEvent final)
                {
                    lock (finals)
                    {
                        finals.Add(final);
                    }
                }
            }

            public void Dispose()
            {
            }
        }
    }
}
