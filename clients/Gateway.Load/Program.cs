using System.Text.Json;
using Gateway.Load.Audio;
using Gateway.Load.Cli;
using Gateway.Load.Idle;
using Gateway.Load.Jobs;
using Gateway.Load.Metrics;
using Gateway.Load.Protocols;
using Gateway.Load.Report;
using Gateway.Load.Spawn;
using Gateway.Load.Streams;
using Gateway.Load.Wave;

// Run: dotnet run -c Release --project clients/Gateway.Load -- stream --spawn --streams 300 --duration 60
LoadOptions o;
try
{
    o = LoadOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException or UriFormatException)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine();
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}

// Every run is bounded: the tool always exits by itself.
var bound = o.Mode switch
{
    "stream" or "rooms" or "ingest" or "jobs" => TimeSpan.FromSeconds(o.DurationSeconds + o.WarmupSeconds + o.RampSeconds + o.SettleSeconds + 180),
    "idle" => TimeSpan.FromSeconds(300 + (2 * o.SettleSeconds)),
    _ => TimeSpan.FromMinutes(30),
};
using var cts = new CancellationTokenSource(bound);
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};

var fixture = SpeechFixture.Load(SpeechFixture.DefaultPath);
SpawnedStack? stack = null;
// Jobs: the generated file, and the spawned gateway's job store (a fresh one per run, so no earlier run's job resumes).
var jobsFolder = o.JobCount > 0 ? Directory.CreateTempSubdirectory("gateway-load-jobs-").FullName : null;
try
{
    var gatewayUrl = o.Url;
    if (o.Spawn)
    {
        // The ingests' sources are on loopback, so the spawned gateway may reach private networks.
        List<string> gatewayArgs = o.Mode == "ingest"
            ? ["--Outbound:AllowPrivateNetworks", "true", "--Ingests:MaxIngests", $"{o.Ingests}", .. o.GatewayArgs]
            : jobsFolder is not null
                ? ["--Jobs:DataDirectory", Path.Combine(jobsFolder, "store"), "--Jobs:MaxConcurrentJobs", $"{o.JobCount}", .. o.GatewayArgs]
                : o.GatewayArgs;
        stack = await SpawnedStack.StartAsync(
            new SpawnSettings(o.GatewayPort, o.SimulatorPort, o.MaxConnections, o.MaxClients, o.SimStepMs, o.SimFinalMs, o.SimDecoders, o.SimDecodeCost, o.EndpointSilenceMs, gatewayArgs, o.GatewayBuild), Console.Out, cts.Token);
        gatewayUrl = stack.Gateway;
    }

    var jobFile = jobsFolder is null ? null
        : o.JobFile ?? await JobFile.CreateAsync(fixture, TimeSpan.FromSeconds(o.JobAudioSeconds), o.JobTalkRatio, o.EndpointSilenceMs, jobsFolder, cts.Token);
    var streamUrl = ProtocolClients.EndpointUrl(gatewayUrl, ProtocolClients.Native);
    await using var metrics = new MetricsMonitor(gatewayUrl, TimeSpan.FromSeconds(2), o.Cores);
    object summary;
    switch (o.Mode)
    {
        case "idle":
            var idle = await IdleLoad.RunAsync(streamUrl, o.Sessions, TimeSpan.FromSeconds(o.SettleSeconds), metrics, cts.Token, o.Detach);
            TextReport.Write(Console.Out, idle);
            summary = idle;
            break;
        case "wave":
            var wave = await WaveLoad.RunAsync(streamUrl, o.Concurrency, o.Rounds, o.EndpointSilenceMs, fixture, metrics, cts.Token);
            TextReport.Write(Console.Out, wave);
            summary = wave;
            break;
        case "rooms":
            var speakers = new StreamSettings(
                TimeSpan.FromSeconds(o.DurationSeconds), o.TalkRatio, o.FrameMs, TimeSpan.FromSeconds(o.RampSeconds), o.Speed,
                o.EndpointSilenceMs, o.Seed, TimeSpan.FromSeconds(60));
            Console.WriteLine($"{o.Rooms} rooms x {o.Speakers} speakers x {o.Viewers} viewers on {gatewayUrl} ...");
            var rooms = await Gateway.Load.Rooms.RoomLoad.RunAsync(gatewayUrl, o.Rooms, o.Speakers, o.Viewers, speakers, fixture, o.UpstreamMs ?? o.SimFinalMs, metrics, TimeSpan.FromSeconds(o.SettleSeconds), cts.Token);
            TextReport.Write(Console.Out, rooms);
            summary = rooms;
            break;
        case "ingest":
            var ingests = await Gateway.Load.Ingest.IngestLoad.RunAsync(
                gatewayUrl, o.Ingests, o.HlsShare, TimeSpan.FromSeconds(o.DurationSeconds), TimeSpan.FromSeconds(o.SettleSeconds), o.TalkRatio, o.EndpointSilenceMs,
                fixture, o.ViaCli ? SpawnedStack.CliDll() : null, metrics, Console.Out, cts.Token);
            TextReport.Write(Console.Out, ingests);
            summary = ingests;
            break;
        case "jobs" when o.PerFileConnection:
            var simulatorUrl = o.SimulatorUrl ?? new Uri($"ws://127.0.0.1:{o.SimulatorPort}/");
            Console.WriteLine($"{o.JobCount} jobs of {jobFile}, one connection each to {simulatorUrl} for {o.DurationSeconds:0} s ...");
            var perFile = await PerFileConnectionLoad.RunAsync(simulatorUrl, jobFile!, o.JobCount, o.JobAudioSeconds, o.ChunkMs, TimeSpan.FromSeconds(o.DurationSeconds), cts.Token);
            TextReport.Write(Console.Out, perFile);
            summary = perFile;
            break;
        case "jobs":
            Console.WriteLine($"{o.JobCount} jobs of {jobFile} to {gatewayUrl} for {o.DurationSeconds:0} s ...");
            using (var jobs = await JobLoad.SubmitAsync(gatewayUrl, jobFile!, o.JobCount, o.JobAudioSeconds, cts.Token))
            using (var window = new CancellationTokenSource(TimeSpan.FromSeconds(o.DurationSeconds)))
            {
                var jobReport = await jobs.TrackAsync(TimeSpan.FromMilliseconds(o.PollMs), metrics, window.Token, cts.Token);
                TextReport.Write(Console.Out, jobReport);
                summary = jobReport;
            }

            break;
        default:
            if (o.WarmupSeconds > 0)
            {
                Console.WriteLine($"warm-up: {o.Streams} streams for {o.WarmupSeconds:0} s, not measured ...");
                var warmup = new StreamSettings(
                    TimeSpan.FromSeconds(o.WarmupSeconds), o.TalkRatio, o.FrameMs, TimeSpan.FromSeconds(o.RampSeconds), o.Speed,
                    o.EndpointSilenceMs, o.Seed + 1, TimeSpan.FromSeconds(60), o.Protocol);
                await StreamLoad.RunAsync(ProtocolClients.EndpointUrl(gatewayUrl, o.Protocol), o.Streams, warmup, fixture, o.UpstreamMs ?? o.SimFinalMs, metrics: null, cts.Token);
            }

            // With --jobs N, the jobs are submitted first and tracked while the streams run (live speech and jobs on one gateway).
            using (var jobs = jobFile is null ? null : await JobLoad.SubmitAsync(gatewayUrl, jobFile, o.JobCount, o.JobAudioSeconds, cts.Token))
            using (var streamsDone = new CancellationTokenSource())
            {
                var tracking = jobs?.TrackAsync(TimeSpan.FromMilliseconds(o.PollMs), metrics: null, streamsDone.Token, cts.Token);
                var streams = await RunStreamsAsync();
                await streamsDone.CancelAsync();
                TextReport.Write(Console.Out, streams);
                summary = streams;
                if (tracking is not null)
                {
                    var alongside = await tracking;
                    Console.WriteLine();
                    Console.WriteLine("jobs alongside the streams:");
                    TextReport.Write(Console.Out, alongside);
                    summary = new { streams, jobs = alongside };
                }
            }

            break;
    }

    async Task<StreamReport> RunStreamsAsync()
    {
        var settings = new StreamSettings(
            TimeSpan.FromSeconds(o.DurationSeconds), o.TalkRatio, o.FrameMs, TimeSpan.FromSeconds(o.RampSeconds), o.Speed,
            o.EndpointSilenceMs, o.Seed, TimeSpan.FromSeconds(60), o.Protocol);
        var endpoint = ProtocolClients.EndpointUrl(gatewayUrl, o.Protocol);
        Console.WriteLine($"streaming to {endpoint} ({o.Protocol}) ...");
        var outage = o.OutageAtSeconds is { } at && stack is not null
            ? Task.Delay(TimeSpan.FromSeconds(at), cts.Token).ContinueWith(_ => stack.OutageAsync(TimeSpan.FromSeconds(o.OutageForSeconds), Console.Out, cts.Token), cts.Token).Unwrap()
            : Task.CompletedTask;
        var resets = o.ResetEverySeconds is { } every ? new Gateway.Load.Resume.ResetSchedule(TimeSpan.FromSeconds(every), o.ResetFraction, o.Seed) : null;
        var report = await StreamLoad.RunAsync(endpoint, o.Streams, settings, fixture, o.UpstreamMs ?? o.SimFinalMs, metrics, cts.Token, resets);
        await outage;
        return report;
    }

    if (o.JsonPath is not null)
    {
        await File.WriteAllTextAsync(o.JsonPath, JsonSerializer.Serialize(summary, summary.GetType(), SummaryJson.Options), cts.Token);
    }

    return 0;
}
catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or InvalidOperationException or TimeoutException)
{
    Console.Error.WriteLine($"load run failed: {ex.Message}");
    return 1;
}
finally
{
    if (stack is not null)
    {
        await stack.DisposeAsync();
    }

    if (jobsFolder is not null)
    {
        Directory.Delete(jobsFolder, recursive: true);
    }
}
