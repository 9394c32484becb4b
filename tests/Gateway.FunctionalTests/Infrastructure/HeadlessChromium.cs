using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Gateway.FunctionalTests.Infrastructure;

/// <summary>
/// A real headless Chromium driven over the Chrome DevTools Protocol (one page target, JSON-RPC over a
/// WebSocket): no browser-automation package, no downloaded browser. The executable is Debian's
/// <c>/usr/bin/chromium</c> (installed by .ci/run) unless CHROMIUM_PATH names another.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly ConcurrentQueue<string> _console = new();
    private readonly Task _reader;
    private int _nextId;

    private HeadlessChromium(Process process, string profile, ClientWebSocket socket)
    {
        _process = process;
        _profile = profile;
        _socket = socket;
        _reader = ReadAsync();
    }

    public static string ExecutablePath => Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>Console messages and uncaught exceptions of the page, for failure messages.</summary>
    public string ConsoleLog => string.Join('\n', _console);

    /// <param name="fakeMicrophoneWav">A WAV file the fake capture device plays (looped) as the microphone; permission is granted without a prompt.</param>
    public static async Task<HeadlessChromium> LaunchAsync(string? fakeMicrophoneWav = null)
    {
        Assert.True(File.Exists(ExecutablePath), $"Chromium not found at {ExecutablePath} (apt-get install chromium, or set CHROMIUM_PATH)");
        var profile = Directory.CreateTempSubdirectory("gateway-chromium-").FullName;
        var start = new ProcessStartInfo(ExecutablePath) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        string[] arguments =
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--no-default-browser-check",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
            "--disable-dev-shm-usage", "--mute-audio", "--autoplay-policy=no-user-gesture-required",
            $"--user-data-dir={profile}", "--remote-debugging-port=0", "--window-size=1100,900",
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (fakeMicrophoneWav is not null)
        {
            start.ArgumentList.Add("--use-fake-ui-for-media-stream");
            start.ArgumentList.Add("--use-fake-device-for-media-stream");
            start.ArgumentList.Add($"--use-file-for-fake-audio-capture={fakeMicrophoneWav}");
        }

        start.ArgumentList.Add("about:blank");
        var process = Process.Start(start)!;
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();

        try
        {
            // Chromium writes the port it picked to DevToolsActivePort in the profile.
            var portFile = Path.Combine(profile, "DevToolsActivePort");
            var clock = Stopwatch.StartNew();
            while (!File.Exists(portFile) || (await File.ReadAllLinesAsync(portFile)).Length < 2)
            {
                if (process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(20))
                {
                    lock (stderr)
                    {
                        Assert.Fail($"Chromium did not open its DevTools port: {stderr}");
                    }
                }

                await Task.Delay(50);
            }

            var port = int.Parse((await File.ReadAllLinesAsync(portFile))[0], System.Globalization.CultureInfo.InvariantCulture);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            using var targets = JsonDocument.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/json/list")));
            var page = targets.RootElement.EnumerateArray().First(t => t.GetProperty("type").GetString() == "page");
            var socket = new ClientWebSocket();
            socket.Options.KeepAliveInterval = TimeSpan.Zero;
            await socket.ConnectAsync(new Uri(page.GetProperty("webSocketDebuggerUrl").GetString()!), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
            var browser = new HeadlessChromium(process, profile, socket);
            await browser.SendAsync("Runtime.enable");
            await browser.SendAsync("Page.enable");
            return browser;
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    public async Task<JsonElement> SendAsync(string method, object? parameters = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        var json = JsonSerializer.SerializeToUtf8Bytes(new { id, method, @params = parameters ?? new { } });
        await _socket.SendAsync(json, WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        var result = await reply.Task.WaitAsync(TimeSpan.FromSeconds(30));
        if (result.TryGetProperty("error", out var error))
        {
            Assert.Fail($"{method}: {error}");
        }

        return result.GetProperty("result");
    }

    public async Task NavigateAsync(Uri url)
    {
        await SendAsync("Page.navigate", new { url = url.ToString() });
        await WaitForAsync("document.readyState === 'complete' && location.href !== 'about:blank'", TimeSpan.FromSeconds(15));
    }

    /// <summary>Evaluates an expression in the page (promises awaited) and returns its value as JSON.</summary>
    /// <param name="userGesture">Run as if the user had clicked (AudioContext and getUserMedia want one).</param>
    public async Task<JsonElement> EvaluateAsync(string expression, bool userGesture = false)
    {
        var result = await SendAsync("Runtime.evaluate", new { expression, returnByValue = true, awaitPromise = true, userGesture });
        if (result.TryGetProperty("exceptionDetails", out var exception))
        {
            Assert.Fail($"page threw: {exception}\nconsole:\n{ConsoleLog}");
        }

        return result.GetProperty("result").TryGetProperty("value", out var value) ? value.Clone() : default;
    }

    /// <summary>Polls until the expression is truthy; while it throws (the element is not on the page yet) it is not.</summary>
    public async Task WaitForAsync(string expression, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await EvaluateAsync($"(() => {{ try {{ return !!({expression}); }} catch {{ return false; }} }})()");
            if (value.ValueKind == JsonValueKind.True)
            {
                return;
            }

            if (clock.Elapsed > timeout)
            {
                var status = await EvaluateAsync("document.getElementById('status')?.textContent ?? document.title");
                Assert.Fail($"timed out after {timeout.TotalSeconds:0} s waiting for {expression}; status: {status}\nconsole:\n{ConsoleLog}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Lets the page download files into <paramref name="folder"/> (under the names its links give).</summary>
    public Task AllowDownloadsAsync(string folder) =>
        SendAsync("Page.setDownloadBehavior", new { behavior = "allow", downloadPath = folder });

    public async Task<byte[]> ScreenshotAsync()
    {
        var shot = await SendAsync("Page.captureScreenshot", new { format = "png" });
        return Convert.FromBase64String(shot.GetProperty("data").GetString()!);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The browser is killed below either way.
        }

        _socket.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        _process.Dispose();
        await _reader.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // A crash handler may still hold a file for a moment; the temp folder is cleaned eventually.
        }
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                using var json = JsonDocument.Parse(message.ToArray());
                message.SetLength(0);
                var root = json.RootElement;
                if (root.TryGetProperty("id", out var id) && _pending.TryRemove(id.GetInt32(), out var reply))
                {
                    reply.TrySetResult(root.Clone());
                }
                else if (root.TryGetProperty("method", out var method))
                {
                    Record(method.GetString(), root.GetProperty("params"));
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException)
        {
            // The browser went away; pending calls time out with their own message.
        }
    }

    private void Record(string? method, JsonElement parameters)
    {
        if (method == "Runtime.consoleAPICalled")
        {
            var args = parameters.GetProperty("args").EnumerateArray()
                .Select(a => a.TryGetProperty("value", out var v) ? v.ToString() : a.TryGetProperty("description", out var d) ? d.GetString() : "?");
            _console.Enqueue($"{parameters.GetProperty("type").GetString()}: {string.Join(' ', args)}");
        }
        else if (method == "Runtime.exceptionThrown")
        {
            _console.Enqueue($"exception: {parameters.GetProperty("exceptionDetails")}");
        }
    }
}
