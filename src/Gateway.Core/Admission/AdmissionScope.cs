namespace Gateway.Core.Admission;

/// <summary>Where <see cref="AdmissionOptions.MaxClients"/> and the per-key concurrent quotas hold (<c>Admission:Scope</c>).</summary>
public enum AdmissionScope
{
    /// <summary>Per gateway process (the default): nothing leaves the process.</summary>
    Local,

    /// <summary>Across every gateway on one Redis (<c>Redis:Configuration</c>): slots are Redis leases (docs/scale-out.md §6).</summary>
    Fleet,
}
