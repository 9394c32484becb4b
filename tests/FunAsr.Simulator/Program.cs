using FunAsr.Simulator;
using FunAsr.Simulator.Hosting;

// Standalone FunASR SIMULATOR: a load and test target, never a speech recogniser.
if (!CommandLine.TryParse(args, out var options, out var error, out var help))
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
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

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
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
    // Ctrl+C.
}

var stats = host.Stats;
Console.WriteLine($"Connections {stats.ConnectionsOpened}, utterances {stats.UtterancesStarted} started / {stats.UtterancesCompleted} completed, violations {stats.ViolationCount}.");
return 0;
