namespace Gateway.Core.Instance;

/// <summary>Which gateway of a fleet this is (docs/scale-out.md §4). Section <c>Gateway</c>.</summary>
public sealed class InstanceOptions
{
    public const string Section = "Gateway";

    /// <summary>
    /// This gateway's name in the fleet: in the <c>X-Gateway-Instance</c> header, the native <c>ready</c> message, its
    /// resume tokens, logs and its Redis seats. 1 to 64 of <c>A-Z a-z 0-9 . _ -</c>; unique per running gateway.
    /// Default the machine name and the process id (<c>host-1234</c>).
    /// </summary>
    public string? InstanceId { get; set; }

    /// <summary>Every HTTP response and WebSocket upgrade carries <c>X-Gateway-Instance</c>. Default true.</summary>
    public bool InstanceHeader { get; set; } = true;
}
