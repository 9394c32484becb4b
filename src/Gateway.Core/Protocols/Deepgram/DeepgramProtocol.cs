using System.Text.Json;
using Gateway.Core.Admission;
using Gateway.Core.Sessions;

namespace Gateway.Core.Protocols.Deepgram;

/// <summary>
/// Deepgram's live <c>/v1/listen</c> (docs/deepgram.md; reference in shared/protocols/deepgram.md): every option is in
/// the query string, so there is no start message; text frames are <c>KeepAlive</c>, <c>Finalize</c> and
/// <c>CloseStream</c>; replies are <c>Results</c>, <c>SpeechStarted</c>, <c>UtteranceEnd</c> and, after
/// <c>CloseStream</c>, <c>Metadata</c>. One instance per stream (per channel with <c>multichannel=true</c>).
/// </summary>
/// <remarks>
/// Parsing runs on the receive loop, rendering on the send loop (DeepgramProtocol.Render.cs); the only state they
/// share is <see cref="_finalizeRequested"/>.
/// </remarks>
internal sealed partial class DeepgramProtocol : ISessionProtocol
{
    private readonly DeepgramListen _listen;
    private readonly int _channel;
    private readonly TimeProvider _time;
    private int _finalizeRequested;

    public DeepgramProtocol(DeepgramListen listen, int channel, TimeProvider time)
    {
        _listen = listen;
        _channel = channel;
        _time = time;
        _created = time.GetUtcNow();
    }

    public string Name => "deepgram";

    public bool AdmitsAfterFirstMessage => false;

    /// <summary>No start message: the query string configured the session; a first text frame is already a control.</summary>
    public StartResult ParseStart(ReadOnlySpan<byte> utf8, StreamSettings initial)
    {
        var control = ParseControl(utf8);
        return control.Error is { } error ? new StartResult(null, error) : new StartResult(initial, null, control.Kind);
    }

    public ControlResult ParseControl(ReadOnlySpan<byte> utf8)
    {
        string? type;
        try
        {
            using var document = JsonDocument.Parse(utf8.ToArray());
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return BadText("a text message must be a JSON object with a \"type\"");
            }

            type = document.RootElement.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        }
        catch (JsonException ex)
        {
            return BadText($"a text message must be JSON ({ex.Message})");
        }

        switch (type)
        {
            case "KeepAlive":
                return new ControlResult(ControlKind.KeepAlive, null);
            case "Finalize":
                Volatile.Write(ref _finalizeRequested, 1);
                return new ControlResult(ControlKind.Finalize, null);
            case "CloseStream":
                return new ControlResult(ControlKind.Close, null);
            default:
                // Deepgram adds message types over time (Configure, 2026); unknown ones are ignored, not fatal.
                return new ControlResult(ControlKind.KeepAlive, null);
        }
    }

    /// <summary>The legacy end of stream: an empty binary frame means CloseStream.</summary>
    public ControlKind ClassifyBinary(ReadOnlySpan<byte> message) => message.IsEmpty ? ControlKind.Close : ControlKind.None;

    /// <summary>
    /// Deepgram's close codes (https://developers.deepgram.com/docs/stt-troubleshooting-websocket-data-and-net-errors):
    /// 1000 after CloseStream, 1011 <c>NET-0001</c> when no audio or KeepAlive arrived in time, 1008 <c>DATA-0000</c>
    /// for data that cannot be used, 1011 for faults.
    /// </summary>
    public (int Code, string Description) CloseFrame(DisconnectReason reason, int code, string description) => reason switch
    {
        DisconnectReason.ClientClosed => (CloseCodes.Normal, ""),
        DisconnectReason.IdleTimeout => (CloseCodes.InternalError, DeepgramCloseReasons.NoAudio),
        DisconnectReason.ProtocolError => (CloseCodes.PolicyViolation, $"{DeepgramCloseReasons.BadData}: {description}"),
        DisconnectReason.InternalError => (CloseCodes.InternalError, DeepgramCloseReasons.Internal),
        DisconnectReason.MaxConnectionTime => (CloseCodes.InternalError, DeepgramCloseReasons.MaxDuration),
        DisconnectReason.KeyRevoked => (CloseCodes.PolicyViolation, DeepgramCloseReasons.KeyRevoked),
        _ => (code, description),
    };

    private static ControlResult BadText(string message) =>
        new(ControlKind.None, new ClientError(ErrorCodes.UnexpectedText, message, CloseCodes.PolicyViolation));
}
