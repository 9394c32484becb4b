namespace Gateway.Load.Protocols;

/// <summary>The protocols the load tool speaks, by name, and where each is served.</summary>
internal static class ProtocolClients
{
    public const string Native = "native";
    public const string WhisperLive = "whisperlive";
    public const string FunAsr = "funasr";
    public const string Deepgram = "deepgram";

    public static bool IsKnown(string protocol) => protocol is Native or WhisperLive or FunAsr or Deepgram;

    /// <summary>The endpoint URL of <paramref name="protocol"/> on the gateway at <paramref name="gateway"/> (http or ws).</summary>
    public static Uri EndpointUrl(Uri gateway, string protocol) => new UriBuilder(gateway)
    {
        Query = protocol == Deepgram ? DeepgramClient.Query : "",
        Scheme = gateway.Scheme is "https" or "wss" ? "wss" : "ws",
        Path = protocol switch
        {
            WhisperLive => "/whisperlive",
            FunAsr => "/funasr",
            Deepgram => "/v1/listen",
            _ => "/v1/stream",
        },
    }.Uri;

    public static async Task<IProtocolClient> ConnectAsync(string protocol, Uri url, CancellationToken token)
    {
        var socket = await ProtocolSocket.ConnectAsync(url, token);
        return protocol switch
        {
            WhisperLive => new WhisperLiveClient(socket),
            FunAsr => new FunAsrClient(socket),
            Deepgram => new DeepgramClient(socket),
            _ => new NativeClient(socket),
        };
    }
}
