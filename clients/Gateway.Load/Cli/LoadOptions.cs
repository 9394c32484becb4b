using System.Globalization;

namespace Gateway.Load.Cli;

/// <summary>The command line of the load tool.</summary>
internal sealed record LoadOptions
{
    public const string Usage = """
        gateway-load [stream|idle|wave|rooms|ingest|jobs] [options]

          stream   N concurrent real-time streams of watermarked speech (default)
          idle     N sessions that send start and one frame, then stay quiet: memory per idle session
          wave     C concurrent short sessions x R rounds, unpaced: QPS, latency, upstream pool reuse
          rooms    R meeting rooms x S real-time speakers x V viewers: final -> viewer latency, lost finals,
                   memory per viewer, first-partial latency per room (the stream options shape the speakers)
          ingest   N server-side ingests of loopback sources (one live HLS channel, live WAV over HTTP), one room
                   viewer each: CPU per ingest (gateway, ffmpeg), memory, caption latency behind the source, restarts
          jobs     N file transcription jobs (the same file N times) through /api/v1/asr for --duration: jobs completed,
                   audio hours per wall hour, per-job RTF and time to finish; --per-file-connection: the baseline

        target:
          --url http://127.0.0.1:8080   the gateway (metrics at /metrics, stream at /v1/stream)
          --protocol native              native (/v1/stream), whisperlive (/whisperlive), funasr (/funasr, 2pass) or deepgram (/v1/listen); stream mode
          --spawn                        start the simulator and the gateway (Release builds) and stop them after
          --gateway-port 18080 --simulator-port 18096 --max-clients 1000
          --max-connections N            upstream connections (default: the gateway's configuration, 128)
          --sim-step-ms 2 --sim-final-ms 10
          --sim-decoders 0 --sim-decode-cost 0   simulator capacity: decoder workers, worker seconds per audio second
                                         (keeps up with decoders / cost real-time streams; 0 = unbounded, free)
          --gateway-arg KEY=VALUE        extra gateway configuration, e.g. Sessions:RingSeconds=4 (repeatable)
          --gateway-build DIR            spawn the Gateway.Server.dll in DIR instead of this repository's (before/after runs)
          --outage-at S --outage-for S   kill the spawned simulator S seconds into the run and restart it after S seconds
        stream:
          --streams 100 --duration 60 --talk-ratio 0.2 --frame-ms 100 --ramp 5 --speed 1
          --endpoint-silence-ms 500      sent in start; subtracted for the overhead
          --upstream-ms N                upstream processing subtracted for the overhead (default: --sim-final-ms)
          --seed 1
          --warmup S                     first run the same streams S seconds unmeasured (JIT, VAD and pool warm),
                                         so runs compared side by side all start from a warm gateway
          --reset-every S --reset-fraction 0.1   every S seconds, reset (TCP RST) that share of the streaming
                                         connections mid-speech; each resumes its session (native only)
        idle:
          --sessions 500 --settle 3
          --detach                       then reset every session's connection and measure them detached
        wave:
          --concurrency 32 --rounds 10
        rooms:
          --rooms 50 --speakers 4 --viewers 10
        ingest:
          --ingests 50 --hls-share 0.5   ingests, and the share of them pulling the HLS channel
          --via-cli                      the alternative: one gateway-cli stream process per source instead (Release build)
                                         (--duration: the measured window; --settle, --talk-ratio, --endpoint-silence-ms)
        jobs (the jobs mode; with --jobs N, the stream mode also runs N jobs alongside its streams):
          --jobs 20 --job-audio 3600     jobs, and the seconds of the generated file (watermarked speech, FLAC)
          --job-file FILE                submit this file instead of a generated one
          --job-talk-ratio 0.5           speech share of the generated file (a recording is mostly speech)
          --poll-ms 1000                 how often each job's result is polled
          --per-file-connection          the baseline: one simulator connection per job, the whole file sent unsegmented
          --simulator-url ws://...       its target (default: the spawned simulator)
          --chunk-ms 500                 the baseline's frame size (as Jobs:ChunkMs)
        output:
          --json FILE                    machine-readable summary
          --cores N                      CPU cores of the gateway's machine for CPU % (default: this machine's)
        """;

    public string Mode { get; init; } = "stream";
    public Uri Url { get; init; } = new("http://127.0.0.1:8080");
    public string Protocol { get; init; } = "native";
    public bool Spawn { get; init; }
    public int GatewayPort { get; init; } = 18080;
    public int SimulatorPort { get; init; } = 18096;
    public int? MaxConnections { get; init; }
    public int MaxClients { get; init; } = 1000;
    public int SimStepMs { get; init; } = 2;
    public int SimFinalMs { get; init; } = 10;
    public int SimDecoders { get; init; }
    public double SimDecodeCost { get; init; }
    public List<string> GatewayArgs { get; init; } = [];
    public string? GatewayBuild { get; init; }
    public double? OutageAtSeconds { get; init; }
    public double OutageForSeconds { get; init; } = 10;
    public int Streams { get; init; } = 100;
    public double DurationSeconds { get; init; } = 60;
    public double TalkRatio { get; init; } = 0.2;
    public int FrameMs { get; init; } = 100;
    public double RampSeconds { get; init; } = 5;
    public double Speed { get; init; } = 1;
    public int EndpointSilenceMs { get; init; } = 500;
    public double? UpstreamMs { get; init; }
    public int Seed { get; init; } = 1;
    public double WarmupSeconds { get; init; }
    public double? ResetEverySeconds { get; init; }
    public double ResetFraction { get; init; } = 0.1;
    public bool Detach { get; init; }
    public int Sessions { get; init; } = 500;
    public double SettleSeconds { get; init; } = 3;
    public int Concurrency { get; init; } = 32;
    public int Rounds { get; init; } = 10;
    public int Rooms { get; init; } = 50;
    public int Speakers { get; init; } = 4;
    public int Viewers { get; init; } = 10;
    public int Ingests { get; init; } = 50;
    public double HlsShare { get; init; } = 0.5;
    public bool ViaCli { get; init; }
    public int? Jobs { get; init; }
    public double JobAudioSeconds { get; init; } = 3600;
    public string? JobFile { get; init; }
    public double JobTalkRatio { get; init; } = 0.5;
    public int PollMs { get; init; } = 1000;
    public bool PerFileConnection { get; init; }
    public Uri? SimulatorUrl { get; init; }
    public int ChunkMs { get; init; } = 500;
    public string? JsonPath { get; init; }

    /// <summary>Jobs of the run: 20 by default in the jobs mode, none in the stream mode unless asked.</summary>
    public int JobCount => Jobs ?? (Mode == "jobs" ? 20 : 0);
    public int Cores { get; init; } = Environment.ProcessorCount;

    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        var o = new LoadOptions();
        var i = 0;
        if (args.Count > 0 && !args[0].StartsWith('-'))
        {
            o = o with { Mode = args[0] };
            i = 1;
        }

        for (; i < args.Count; i++)
        {
            var name = args[i];
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            int Int() => int.Parse(Next(), CultureInfo.InvariantCulture);
            double Dbl() => double.Parse(Next(), CultureInfo.InvariantCulture);
            o = name switch
            {
                "--url" => o with { Url = new Uri(Next()) },
                "--protocol" => o with { Protocol = Next() },
                "--spawn" => o with { Spawn = true },
                "--gateway-port" => o with { GatewayPort = Int() },
                "--simulator-port" => o with { SimulatorPort = Int() },
                "--max-connections" => o with { MaxConnections = Int() },
                "--max-clients" => o with { MaxClients = Int() },
                "--sim-step-ms" => o with { SimStepMs = Int() },
                "--sim-final-ms" => o with { SimFinalMs = Int() },
                "--sim-decoders" => o with { SimDecoders = Int() },
                "--sim-decode-cost" => o with { SimDecodeCost = Dbl() },
                "--gateway-arg" => o with { GatewayArgs = [.. o.GatewayArgs, .. GatewayArg(Next())] },
                "--gateway-build" => o with { GatewayBuild = Next() },
                "--outage-at" => o with { OutageAtSeconds = Dbl() },
                "--outage-for" => o with { OutageForSeconds = Dbl() },
                "--streams" => o with { Streams = Int() },
                "--duration" => o with { DurationSeconds = Dbl() },
                "--talk-ratio" => o with { TalkRatio = Dbl() },
                "--frame-ms" => o with { FrameMs = Int() },
                "--ramp" => o with { RampSeconds = Dbl() },
                "--speed" => o with { Speed = Dbl() },
                "--endpoint-silence-ms" => o with { EndpointSilenceMs = Int() },
                "--upstream-ms" => o with { UpstreamMs = Dbl() },
                "--seed" => o with { Seed = Int() },
                "--warmup" => o with { WarmupSeconds = Dbl() },
                "--reset-every" => o with { ResetEverySeconds = Dbl() },
                "--reset-fraction" => o with { ResetFraction = Dbl() },
                "--detach" => o with { Detach = true },
                "--sessions" => o with { Sessions = Int() },
                "--settle" => o with { SettleSeconds = Dbl() },
                "--concurrency" => o with { Concurrency = Int() },
                "--rounds" => o with { Rounds = Int() },
                "--rooms" => o with { Rooms = Int() },
                "--speakers" => o with { Speakers = Int() },
                "--viewers" => o with { Viewers = Int() },
                "--ingests" => o with { Ingests = Int() },
                "--hls-share" => o with { HlsShare = Dbl() },
                "--via-cli" => o with { ViaCli = true },
                "--jobs" => o with { Jobs = Int() },
                "--job-audio" => o with { JobAudioSeconds = Dbl() },
                "--job-file" => o with { JobFile = Next() },
                "--job-talk-ratio" => o with { JobTalkRatio = Dbl() },
                "--poll-ms" => o with { PollMs = Int() },
                "--per-file-connection" => o with { PerFileConnection = true },
                "--simulator-url" => o with { SimulatorUrl = new Uri(Next()) },
                "--chunk-ms" => o with { ChunkMs = Int() },
                "--json" => o with { JsonPath = Next() },
                "--cores" => o with { Cores = Int() },
                _ => throw new ArgumentException($"Unknown option {name}."),
            };
        }

        o.Validate();
        return o;
    }

    private static string[] GatewayArg(string keyValue)
    {
        var eq = keyValue.IndexOf('=', StringComparison.Ordinal);
        return eq <= 0 ? throw new ArgumentException($"--gateway-arg takes KEY=VALUE (was '{keyValue}').") : ["--" + keyValue[..eq], keyValue[(eq + 1)..]];
    }

    private void Validate()
    {
        var errors = new List<string>();
        void Check(bool ok, string message)
        {
            if (!ok)
            {
                errors.Add(message);
            }
        }

        Check(Mode is "stream" or "idle" or "wave" or "rooms" or "ingest" or "jobs", $"mode must be stream, idle, wave, rooms, ingest or jobs (was '{Mode}').");
        Check(Jobs is null || (Mode is "jobs" or "stream" && Jobs is >= 1 and <= 1000), $"--jobs must be between 1 and 1000, in the jobs or stream mode (was {Jobs}).");
        Check(JobAudioSeconds is >= 1 and <= 36_000, $"--job-audio must be between 1 and 36000 s (was {JobAudioSeconds}).");
        Check(JobFile is null || File.Exists(JobFile), $"--job-file {JobFile} does not exist.");
        Check(JobTalkRatio is > 0 and <= 1, $"--job-talk-ratio must be in (0, 1] (was {JobTalkRatio}).");
        Check(WarmupSeconds is >= 0 and <= 300 && (WarmupSeconds == 0 || Mode == "stream"), $"--warmup must be between 0 and 300 s, in the stream mode (was {WarmupSeconds}).");
        Check(PollMs is >= 50 and <= 60_000, $"--poll-ms must be between 50 and 60000 (was {PollMs}).");
        Check(!PerFileConnection || (Mode == "jobs" && (Spawn || SimulatorUrl is not null)), "--per-file-connection is for the jobs mode and needs --spawn or --simulator-url.");
        Check(SimulatorUrl is null || (PerFileConnection && SimulatorUrl.IsLoopback), "--simulator-url is the --per-file-connection target, a loopback address.");
        Check(ChunkMs is >= 10 and <= 10_000, $"--chunk-ms must be between 10 and 10000 (was {ChunkMs}).");
        Check(Ingests is >= 1 and <= 1000, $"--ingests must be between 1 and 1000 (was {Ingests}).");
        Check(!ViaCli || Mode == "ingest", "--via-cli is for the ingest mode.");
        Check(HlsShare is >= 0 and <= 1, $"--hls-share must be between 0 and 1 (was {HlsShare}).");
        Check(Rooms is >= 1 and <= 10_000, $"--rooms must be between 1 and 10000 (was {Rooms}).");
        Check(Speakers is >= 1 and <= 1000, $"--speakers must be between 1 and 1000 (was {Speakers}).");
        Check(Viewers is >= 0 and <= 100_000, $"--viewers must be between 0 and 100000 (was {Viewers}).");
        Check(Gateway.Load.Protocols.ProtocolClients.IsKnown(Protocol), $"--protocol must be native, whisperlive, funasr or deepgram (was '{Protocol}').");
        Check(Protocol == "native" || Mode == "stream", $"--protocol {Protocol} is for the stream mode; idle, wave and rooms use the native protocol.");
        Check(Url.IsLoopback, $"--url must be a loopback address (was {Url}).");
        Check(OutageAtSeconds is null || (Spawn && OutageAtSeconds >= 0 && OutageForSeconds is > 0 and <= 300), "--outage-at needs --spawn, a time >= 0 and --outage-for between 0 and 300 s.");
        Check(GatewayBuild is null || Spawn, "--gateway-build needs --spawn.");
        Check(ResetEverySeconds is null || (ResetEverySeconds > 0 && Mode == "stream" && Protocol == "native"), "--reset-every needs the stream mode, the native protocol and a period > 0 s.");
        Check(ResetFraction is > 0 and <= 1, $"--reset-fraction must be in (0, 1] (was {ResetFraction}).");
        Check(!Detach || Mode == "idle", "--detach is for the idle mode.");
        Check(Streams is >= 1 and <= 100_000, $"--streams must be between 1 and 100000 (was {Streams}).");
        Check(DurationSeconds is > 0 and <= 3600, $"--duration must be between 0 and 3600 s (was {DurationSeconds}).");
        Check(TalkRatio is > 0 and <= 1, $"--talk-ratio must be in (0, 1] (was {TalkRatio}).");
        Check(FrameMs is >= 10 and <= 1000, $"--frame-ms must be between 10 and 1000 (was {FrameMs}).");
        Check(Speed is > 0 and <= 100, $"--speed must be in (0, 100] (was {Speed}).");
        Check(RampSeconds is >= 0 and <= 600, $"--ramp must be between 0 and 600 s (was {RampSeconds}).");
        Check(Sessions is >= 1 and <= 100_000, $"--sessions must be between 1 and 100000 (was {Sessions}).");
        Check(Concurrency is >= 1 and <= 10_000, $"--concurrency must be between 1 and 10000 (was {Concurrency}).");
        Check(Rounds is >= 1 and <= 100_000, $"--rounds must be between 1 and 100000 (was {Rounds}).");
        Check(SimDecoders is >= 0 and <= 100_000, $"--sim-decoders must be between 0 and 100000 (was {SimDecoders}).");
        Check(SimDecodeCost is >= 0 and <= 1000, $"--sim-decode-cost must be between 0 and 1000 (was {SimDecodeCost}).");
        Check(Cores >= 1, $"--cores must be at least 1 (was {Cores}).");
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, errors));
        }
    }
}
