using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FunAsr.Simulator.Diagnostics;
using FunAsr.Simulator.Faults;
using Microsoft.AspNetCore.Builder;

namespace FunAsr.Simulator;

/// <summary>A running simulator. Dispose to stop it.</summary>
public sealed class SimulatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    internal SimulatorHost(WebApplication app, Uri url, SimulatorOptions options, SimulatorStats stats, X509Certificate2? certificate)
    {
        _app = app;
        Url = url;
        Options = options;
        Stats = stats;
        Certificate = certificate;
    }

    /// <summary><c>ws://127.0.0.1:{port}/</c> or <c>wss://...</c>; any path works.</summary>
    public Uri Url { get; }

    public SimulatorOptions Options { get; }

    public SimulatorFlavour Flavour => Options.Flavour;

    /// <summary>Fault injection, mutable while running.</summary>
    public SimulatorFaults Faults => Options.Faults;

    public SimulatorStats Stats { get; }

    /// <summary>The self-signed server certificate when <see cref="SimulatorOptions.Tls"/> is on.</summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>SHA-1 thumbprint (uppercase hex, as <see cref="X509Certificate2.Thumbprint"/>) of the certificate, when TLS.</summary>
    public string? CertificateThumbprint => Certificate?.Thumbprint;

    /// <summary>SHA-256 thumbprint (uppercase hex) of the certificate, when TLS.</summary>
    public string? CertificateSha256Thumbprint => Certificate?.GetCertHashString(HashAlgorithmName.SHA256);

    /// <summary>Stops at once, cutting every open connection, as a crashed server would (fault tests).</summary>
    public async ValueTask KillAsync()
    {
        using var now = new CancellationTokenSource();
        await now.CancelAsync();
        try
        {
            await _app.StopAsync(now.Token);
        }
        catch (OperationCanceledException)
        {
        }

        await _app.DisposeAsync();
        Certificate?.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Connections that ignore shutdown are cut when the host is disposed below.
        }

        await _app.DisposeAsync();
        Certificate?.Dispose();
    }
}
