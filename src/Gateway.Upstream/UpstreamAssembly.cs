namespace Gateway.Upstream;

/// <summary>Marker for the FunASR upstream client library (issue 4 fills this project).</summary>
public static class UpstreamAssembly
{
    public const string Name = "Gateway.Upstream";
}
