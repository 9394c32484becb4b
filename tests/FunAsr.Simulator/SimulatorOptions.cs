using System.Net;
using FunAsr.Simulator.Faults;

namespace FunAsr.Simulator;

/// <summary>How a simulator host listens and behaves. Defaults keep tests fast.</summary>
public sealed class SimulatorOptions
{
    /// <summary>Server flavour to impersonate. Default <see cref="SimulatorFlavour.Cpp2Pass"/>.</summary>
    public SimulatorFlavour Flavour { get; set; } = SimulatorFlavour.Cpp2Pass;

    /// <summary>Address to bind. Default loopback.</summary>
    public IPAddress ListenAddress { get; set; } = IPAddress.Loopback;

    /// <summary>TCP port; 0 (default) picks an ephemeral one, read it from <see cref="SimulatorHost.Url"/>.</summary>
    public int Port { get; set; }

    /// <summary>Serve <c>wss://</c> with a self-signed certificate generated at start. Default false.</summary>
    public bool Tls { get; set; }

    /// <summary>Echo the offered subprotocol <c>binary</c>. Default false: like the real servers, select none.</summary>
    public bool EchoBinarySubprotocol { get; set; }

    /// <summary>Simulated decode time per processing step (2pass: per 1600-byte batch; Python: per message). Default 2 ms; zero disables.</summary>
    public TimeSpan StepLatency { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Simulated time to produce the terminal message after end of utterance. Default 10 ms; zero disables.</summary>
    public TimeSpan FinalLatency { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Capacity model: decoder workers shared by all connections, served in arrival order. Default 0: every
    /// connection has its own (no queue). With <see cref="DecodeCostPerAudioSecond"/> the server keeps up with
    /// <c>DecoderWorkers / cost</c> real-time streams and falls behind past that.
    /// </summary>
    public int DecoderWorkers { get; set; }

    /// <summary>
    /// Capacity model: worker time per second of audio decoded (2pass and Python: per step, offline: the whole
    /// utterance at its end), on top of <see cref="StepLatency"/>/<see cref="FinalLatency"/>, which hold no worker.
    /// Default zero (decoding is free).
    /// </summary>
    public TimeSpan DecodeCostPerAudioSecond { get; set; }

    /// <summary>Fault injection settings at start; mutable at run time through <see cref="SimulatorHost.Faults"/>.</summary>
    public SimulatorFaults Faults { get; set; } = new();

    /// <summary>Write simulator logs to the console. Default false (the CLI turns it on).</summary>
    public bool LogToConsole { get; set; }

    /// <summary>Clock for the 2pass <c>timestamp</c> and for delays. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Every problem with these options, one line each; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(Flavour))
        {
            errors.Add($"Flavour: {Flavour} is not a flavour.");
        }

        if (Port is < 0 or > 65535)
        {
            errors.Add($"Port: {Port} is outside 0..65535.");
        }

        if (StepLatency < TimeSpan.Zero)
        {
            errors.Add($"StepLatency: {StepLatency} is negative.");
        }

        if (FinalLatency < TimeSpan.Zero)
        {
            errors.Add($"FinalLatency: {FinalLatency} is negative.");
        }

        if (DecoderWorkers < 0)
        {
            errors.Add($"DecoderWorkers: {DecoderWorkers} is negative.");
        }

        if (DecodeCostPerAudioSecond < TimeSpan.Zero)
        {
            errors.Add($"DecodeCostPerAudioSecond: {DecodeCostPerAudioSecond} is negative.");
        }

        if (ListenAddress is null || Faults is null || TimeProvider is null)
        {
            errors.Add("ListenAddress, Faults and TimeProvider are required.");
        }

        return errors;
    }
}
