using System.Runtime.InteropServices;
using FunAsr.Simulator;
using FunAsr.Simulator.Hosting;

// Standalone FunASR SIMULATOR: a load and test target, never a speech recogniser.
if (!CommandLine.TryParse(args, out var options, out var statsEvery, out var error, out var help))
{
    Console.Error.WriteLine(error);
    Console.Error.WriteLine(CommandLine.Usage);
    return 2;
}

if (help)
{
    Console.WriteLine(CommandLine.Usage);
    return 0;
}

Console.WriteLine(FunAsrSimulator.Banner);
using var stop = new CancellationTokenSource();
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}

using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

await using var host = await FunAsrSimulator.StartAsync(options, stop.Token);
Console.WriteLine($"Flavour: {SimulatorFlavours.ToCliName(host.Flavour)}");
Console.WriteLine($"Listening: {host.Url}");
if (host.CertificateThumbprint is not null)
{
    Console.WriteLine($"Self-signed certificate SHA-1 thumbprint: {host.CertificateThumbprint}");
    Console.WriteLine($"Self-signed certificate SHA-256 thumbprint: {host.CertificateSha256Thumbprint}");
}

Console.WriteLine("Press Ctrl+C to stop.");
try
{
    if (statsEvery > TimeSpan.Zero)
    {
        using var timer = new PeriodicTimer(statsEvery);
        while (await timer.WaitForNextTickAsync(stop.Token))
        {
            Console.WriteLine(Summary(host));
        }
    }
    else
    {
        await Task.Delay(Timeout.Infinite, stop.Token);
    }
}
catch (OperationCanceledException)
{
    // Ctrl+C or SIGTERM.
}

Console.WriteLine(Summary(host));
return 0;

static string Summary(SimulatorHost host)
{
    var s = host.Stats;
    return $"connections {s.ConnectionsOpen} open / {s.ConnectionsOpened} opened, utterances {s.UtterancesCompleted} completed / {s.UtterancesStarted} started, "
        + $"audio {s.BytesReceived} B, messages {s.MessagesSent}, poisoned {s.PoisonedConnections}, violations {s.ViolationCount}, "
        + $"faults [{string.Join(", ", s.FaultsInjected.Select(f => $"{f.Key} {f.Value}"))}], max concurrent utterances/connection {s.MaxConcurrentUtterancesPerConnection}, "
        + $"decoders {s.Decoders.Busy} busy (max {s.Decoders.MaxBusy}), {s.Decoders.Waiting} waiting (max {s.Decoders.MaxWaiting}), {s.Decoders.Completed} decodes, wait {s.Decoders.TotalWait.TotalSeconds:F1} s";
}
