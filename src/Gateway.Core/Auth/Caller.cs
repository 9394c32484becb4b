namespace Gateway.Core.Auth;

/// <summary>Who made a request: the key (directly or through a grant it issued) and what it may do.</summary>
public sealed record Caller(string KeyName, IReadOnlySet<string> Scopes, bool ViaGrant, string? Room = null)
{
    public bool Has(string scope) => Scopes.Contains(scope);
}
