using Gateway.Core.Admission;

namespace Gateway.Core.Protocols.Deepgram;

/// <summary>
/// The admission slots of one <c>/v1/listen</c> connection (one per stream), reserved before the upgrade: Deepgram
/// refuses a connection over its concurrency limit with HTTP 429 at the handshake, not after it. Disposing releases
/// every slot no session took (a failed upgrade); a session's own release comes first and wins.
/// </summary>
public sealed class DeepgramAdmission : IDisposable
{
    private DeepgramAdmission(AdmissionLease[] leases, TimeSpan retryAfter, bool shuttingDown)
    {
        Leases = leases;
        RetryAfter = retryAfter;
        ShuttingDown = shuttingDown;
    }

    /// <summary>One per stream when admitted; empty when refused.</summary>
    public IReadOnlyList<AdmissionLease> Leases { get; }

    public bool Admitted => Leases.Count > 0;

    /// <summary>When refused because full: until the earliest session reaches its max connection time.</summary>
    public TimeSpan RetryAfter { get; }

    public bool ShuttingDown { get; }

    /// <summary>All <paramref name="streams"/> slots or none.</summary>
    public static async ValueTask<DeepgramAdmission> ReserveAsync(ClientManager clients, int streams)
    {
        var leases = new AdmissionLease[streams];
        for (var i = 0; i < streams; i++)
        {
            var result = await clients.TryAdmitAsync();
            if (!result.Admitted)
            {
                for (var j = 0; j < i; j++)
                {
                    leases[j].Release(DisconnectReason.ClientClosed);
                }

                return new DeepgramAdmission([], result.EstimatedWait, result.ShuttingDown);
            }

            leases[i] = result.Lease!;
        }

        return new DeepgramAdmission(leases, TimeSpan.Zero, false);
    }

    public void Dispose()
    {
        foreach (var lease in Leases)
        {
            lease.Release(DisconnectReason.ClientAborted);
        }
    }
}
