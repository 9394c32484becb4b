using Gateway.Upstream;

namespace Gateway.Native.Clients;

/// <summary>One URL's pool and the settings it was created with (its flavour decides the frame size).</summary>
internal sealed record UrlPool(UpstreamClient Client, NativeSettings Settings);
