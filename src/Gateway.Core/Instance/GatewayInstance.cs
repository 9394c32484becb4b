using System.Buffers;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Instance;

/// <summary>This gateway's identity in a fleet (<see cref="InstanceOptions.InstanceId"/>); one per process.</summary>
public sealed class GatewayInstance
{
    /// <summary>The response header naming the instance that served a request.</summary>
    public const string Header = "X-Gateway-Instance";

    private static readonly SearchValues<char> Allowed = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

    public GatewayInstance(IOptions<InstanceOptions> options)
    {
        Id = options.Value.InstanceId ?? Default();
        SendsHeader = options.Value.InstanceHeader;
    }

    public string Id { get; }

    public bool SendsHeader { get; }

    public static bool IsValid(string id) => id.Length is >= 1 and <= 64 && !id.AsSpan().ContainsAnyExcept(Allowed);

    /// <summary>The machine name (only its allowed characters) and the process id: unique among the processes of one host.</summary>
    private static string Default()
    {
        var host = new string([.. Environment.MachineName.Where(c => Allowed.Contains(c))]);
        var id = $"{(host.Length == 0 ? "gateway" : host)}-{Environment.ProcessId}";
        return id.Length <= 64 ? id : id[^64..];
    }
}
