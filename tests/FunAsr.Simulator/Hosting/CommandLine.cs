using System.Globalization;
using System.Net;

namespace FunAsr.Simulator.Hosting;

/// <summary>The simulator's command line. Hand-parsed: a handful of flags does not need a parser library.</summary>
internal static class CommandLine
{
    public const string Usage = """
        FunASR SIMULATOR — not a speech recogniser.
        Impersonates the FunASR runtime WebSocket servers for tests and load runs; its "transcripts" are
        derived from the audio bytes (LSB watermark words, else per-second hash tokens). See docs/simulator.md.

        Usage: FunAsr.Simulator [options]
          --port <n>               TCP port (default 10095; 0 = ephemeral)
          --listen-ip <ip>         address to bind (default 127.0.0.1)
          --flavour <name>         funasr-2pass (default) | funasr-offline | funasr-python
          --tls                    serve wss:// with a self-signed certificate generated at start
          --echo-subprotocol       select the offered "binary" subprotocol (real servers select none)
          --step-ms <n>            simulated decode time per step (default 2)
          --final-ms <n>           simulated time to the final (default 10)
          --decoders <n>           capacity: decoder workers shared by all connections (default 0 = one per connection)
          --decode-cost <x>        capacity: worker seconds per second of audio (default 0); the server keeps up
                                   with decoders / x real-time streams and falls behind past that
          --delay-ms <n>           fault: extra delay added to every step and final (default 0)
          --fault-drop <p>         fault: probability an utterance has its TCP connection dropped (default 0)
          --fault-silent <p>       fault: probability an utterance never gets its final (default 0)
          --refuse <mode>          fault: none | reject-upgrade | close-at-accept (default none)
          --seed <n>               seed of the fault dice (default 4242)
          --stats-every <s>        print a one-line counter summary every s seconds (default 0 = off)
          --quiet                  no per-connection logs
          -h, --help               this text
        """;

    public static bool TryParse(string[] args, out SimulatorOptions options, out string error, out bool help) =>
        TryParse(args, out options, out _, out error, out help);

    public static bool TryParse(string[] args, out SimulatorOptions options, out TimeSpan statsEvery, out string error, out bool help)
    {
        var statsSeconds = 0;
        var parsed = new SimulatorOptions { Port = 10095, LogToConsole = true };
        options = parsed;
        statsEvery = TimeSpan.Zero;
        error = string.Empty;
        help = false;
        var seed = 4242;
        double drop = 0, silent = 0;
        var delay = 0;
        var refuse = Faults.RefuseMode.None;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help" or "-?")
            {
                help = true;
                return true;
            }

            switch (name)
            {
                case "--tls": options.Tls = true; continue;
                case "--echo-subprotocol": options.EchoBinarySubprotocol = true; continue;
                case "--quiet": options.LogToConsole = false; continue;
            }

            if (i + 1 >= args.Length)
            {
                error = $"Unknown option or missing value: {name}";
                return false;
            }

            var value = args[++i];
            var ok = name switch
            {
                "--port" => TryInt(value, 0, 65535, v => parsed.Port = v),
                "--listen-ip" => TryAddress(value, parsed),
                "--flavour" or "--flavor" => TryFlavour(value, parsed),
                "--step-ms" => TryInt(value, 0, 60_000, v => parsed.StepLatency = TimeSpan.FromMilliseconds(v)),
                "--final-ms" => TryInt(value, 0, 600_000, v => parsed.FinalLatency = TimeSpan.FromMilliseconds(v)),
                "--decoders" => TryInt(value, 0, 100_000, v => parsed.DecoderWorkers = v),
                "--decode-cost" => TryCost(value, v => parsed.DecodeCostPerAudioSecond = v),
                "--delay-ms" => TryInt(value, 0, 600_000, v => delay = v),
                "--fault-drop" => TryProbability(value, v => drop = v),
                "--fault-silent" => TryProbability(value, v => silent = v),
                "--seed" => TryInt(value, int.MinValue, int.MaxValue, v => seed = v),
                "--refuse" => TryRefuse(value, v => refuse = v),
                "--stats-every" => TryInt(value, 0, 86_400, v => statsSeconds = v),
                _ => false,
            };
            if (!ok)
            {
                error = $"Bad value '{value}' for {name}, or unknown option.";
                return false;
            }
        }

        options.Faults = new Faults.SimulatorFaults(seed)
        {
            DropConnectionProbability = drop,
            SilentFinalProbability = silent,
            ExtraDelay = TimeSpan.FromMilliseconds(delay),
            RefuseConnections = refuse,
        };
        statsEvery = TimeSpan.FromSeconds(statsSeconds);
        return true;
    }

    private static bool TryInt(string value, int min, int max, Action<int> set)
    {
        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
        {
            return false;
        }

        set(n);
        return true;
    }

    private static bool TryProbability(string value, Action<double> set)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) || p is < 0 or > 1)
        {
            return false;
        }

        set(p);
        return true;
    }

    private static bool TryCost(string value, Action<TimeSpan> set)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds is < 0 or > 1000 || double.IsNaN(seconds))
        {
            return false;
        }

        set(TimeSpan.FromSeconds(seconds));
        return true;
    }

    private static bool TryAddress(string value, SimulatorOptions options)
    {
        if (!IPAddress.TryParse(value, out var address))
        {
            return false;
        }

        options.ListenAddress = address;
        return true;
    }

    private static bool TryFlavour(string value, SimulatorOptions options)
    {
        if (!SimulatorFlavours.TryParse(value, out var flavour))
        {
            return false;
        }

        options.Flavour = flavour;
        return true;
    }

    private static bool TryRefuse(string value, Action<Faults.RefuseMode> set)
    {
        Faults.RefuseMode? mode = value switch
        {
            "none" => Faults.RefuseMode.None,
            "reject-upgrade" => Faults.RefuseMode.RejectUpgrade,
            "close-at-accept" => Faults.RefuseMode.CloseAtAccept,
            _ => null,
        };
        if (mode is null)
        {
            return false;
        }

        set(mode.Value);
        return true;
    }
}
