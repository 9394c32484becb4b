namespace Gateway.Server.Endpoints;

/// <summary>What a plain HTTP GET on <c>/</c> gets: where to connect. Kept apart so a browser page can replace it.</summary>
internal static class RootPage
{
    private const string Text = """
        Transcription gateway

        WebSocket endpoints:
          /v1/stream        native protocol (docs/protocol.md)
          /whisperlive, /ws WhisperLive clients (docs/whisperlive.md)
          /funasr           FunASR 2pass clients (docs/funasr-endpoint.md)
          /funasr/offline   FunASR offline (file transcription) clients
          /                 WhisperLive or FunASR, detected from the first message

        Health: /healthz, /readyz. Metrics: /metrics.

        """;

    public static Task WriteAsync(HttpContext context)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(Text);
    }
}
