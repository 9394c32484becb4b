namespace Gateway.Core.Admission;

/// <summary>The outcome of <see cref="ClientManager.TryAdmit"/>: a lease, or the estimated wait.</summary>
public readonly record struct AdmissionResult(AdmissionLease? Lease, TimeSpan EstimatedWait, int MaxClients)
{
    public bool Admitted => Lease is not null;
}
