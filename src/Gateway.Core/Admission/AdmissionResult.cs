namespace Gateway.Core.Admission;

/// <summary>The outcome of <see cref="ClientManager.TryAdmit"/>: a lease, the estimated wait, or that the gateway is shutting down.</summary>
public readonly record struct AdmissionResult(AdmissionLease? Lease, TimeSpan EstimatedWait, int MaxClients, bool ShuttingDown = false)
{
    public bool Admitted => Lease is not null;
}
