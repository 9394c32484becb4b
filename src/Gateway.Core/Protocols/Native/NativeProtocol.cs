using System.Text.Json;
using Gateway.Core.Admission;
using Gateway.Core.Audio;
using Gateway.Core.Resume;
using Gateway.Core.Results;
using Gateway.Core.Sessions;

namespace Gateway.Core.Protocols.Native;

/// <summary>
/// The gateway's own protocol on <c>/v1/stream</c> (docs/protocol.md): JSON control messages with a
/// <c>type</c>, binary audio frames, typed JSON events back.
/// </summary>
public sealed class NativeProtocol : ISessionProtocol
{
    public static NativeProtocol Instance { get; } = new();

    public string Name => "native";

    public bool AdmitsAfterFirstMessage => false;

    public bool OffersResume => true;

    public StartResult ParseStart(ReadOnlySpan<byte> utf8, StreamSettings initial)
    {
        if (!TryParseObject(utf8, out var doc, out var error))
        {
            return new StartResult(null, error);
        }

        using (doc)
        {
            var root = doc!.RootElement;
            var type = root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            if (type != NativeMessageTypes.Start)
            {
                return new StartResult(null, new ClientError(
                    ErrorCodes.UnknownMessage,
                    $"the first text message must be {{\"type\":\"start\", ...}} (got type {Describe(type)})",
                    CloseCodes.InvalidPayload));
            }

            return NativeSettingsParser.FromJson(root, initial);
        }
    }

    public ControlResult ParseControl(ReadOnlySpan<byte> utf8)
    {
        if (!TryParseObject(utf8, out var doc, out var error))
        {
            // Text that is not JSON where audio or control is expected: likely audio sent as text.
            return new ControlResult(ControlKind.None, error!.Code == ErrorCodes.InvalidJson
                ? new ClientError(ErrorCodes.UnexpectedText, "text message is not a JSON control message; send audio as binary frames", CloseCodes.UnsupportedData)
                : error);
        }

        using (doc)
        {
            var root = doc!.RootElement;
            var type = root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            return type switch
            {
                NativeMessageTypes.Finalize => new ControlResult(ControlKind.Finalize, null),
                NativeMessageTypes.Close => new ControlResult(ControlKind.Close, null),
                NativeMessageTypes.Start => new ControlResult(ControlKind.None, ClientError.InvalidConfig("the session is already started; configuration cannot change mid-stream")),
                _ => new ControlResult(ControlKind.None, new ClientError(
                    ErrorCodes.UnknownMessage,
                    $"unknown message type {Describe(type)}; expected \"finalize\" or \"close\"",
                    CloseCodes.InvalidPayload)),
            };
        }
    }

    public ControlKind ClassifyBinary(ReadOnlySpan<byte> message) => ControlKind.None;

    public void Write(MessageBatch output, ServerEvent serverEvent)
    {
        if (serverEvent is StreamClosedEvent)
        {
            return; // the close frame says it
        }

        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        switch (serverEvent)
        {
            case ReadyEvent ready:
                json.WriteString("type", "ready");
                json.WriteString("session_id", ready.SessionId);
                json.WriteString("encoding", ready.Settings.Format.Encoding.Name());
                json.WriteNumber("sample_rate", ready.Settings.Format.SampleRate);
                json.WriteNumber("channels", ready.Settings.Format.Channels);
                if (ready.Settings.Language is { } language)
                {
                    json.WriteString("language", language);
                }
                else
                {
                    json.WriteNull("language");
                }

                json.WriteBoolean("interim_results", ready.Settings.InterimResults);
                json.WriteStartArray("hotwords");
                foreach (var word in ready.Settings.Hotwords.Keys)
                {
                    json.WriteStringValue(word);
                }

                json.WriteEndArray();
                if (ready.Settings.Room is { } room)
                {
                    json.WriteString("room", room);
                    json.WriteString("speaker", ready.Settings.Speaker);
                }

                json.WriteString("expires_at", ready.ExpiresAt.ToString("O"));
                if (ready.Instance is { } instance)
                {
                    json.WriteString("instance", instance);
                }

                json.WriteNumber("buffer_ms", ready.RingSamples / 16);
                if (ready.ResumeToken is { } token)
                {
                    json.WriteString("resume_token", token);
                    json.WriteNumber("resume_window_ms", (long)ready.ResumeWindow.TotalMilliseconds);
                }

                if (ready.ResumedAt is { } resumedAt)
                {
                    json.WriteBoolean("resumed", true);
                    json.WriteNumber("offset", resumedAt);
                    if (ready.FinalsLost > 0)
                    {
                        json.WriteNumber("finals_lost", ready.FinalsLost);
                    }
                }

                break;
            case AckEvent ack:
                json.WriteString("type", "ack");
                json.WriteNumber("offset", ack.Offset);
                break;
            case ResumeRefusedEvent refused:
                json.WriteString("type", "error");
                json.WriteString("code", refused.Code);
                json.WriteString("message", refused.Message);
                json.WriteBoolean("fatal", true);
                if (refused.Offset is { } offset)
                {
                    json.WriteNumber("offset", offset);
                }

                break;
            case WaitEvent wait:
                json.WriteString("type", "wait");
                json.WriteNumber("estimated_wait_seconds", Math.Round(wait.EstimatedWait.TotalSeconds, 3));
                json.WriteNumber("max_clients", wait.MaxClients);
                json.WriteString("message", $"server is full ({wait.MaxClients} sessions); estimated wait {Math.Ceiling(wait.EstimatedWait.TotalSeconds)} s");
                break;
            case ErrorEvent error:
                json.WriteString("type", "error");
                json.WriteString("code", error.Code);
                json.WriteString("message", error.Message);
                json.WriteBoolean("fatal", error.Fatal);
                break;
            case DisconnectEvent disconnect:
                json.WriteString("type", "disconnect");
                json.WriteString("reason", disconnect.Reason.Name());
                json.WriteString("message", disconnect.Message);
                break;
            case OverflowEvent overflow:
                json.WriteString("type", "overflow");
                json.WriteNumber("dropped_ms", overflow.DroppedSamples / 16.0);
                json.WriteNumber("total_dropped_ms", overflow.TotalDroppedSamples / 16.0);
                json.WriteString("message", "audio arrived faster than the gateway could buffer it; the dropped audio was not transcribed");
                break;
            case FlushedEvent flushed:
                json.WriteString("type", "flushed");
                json.WriteNumber("audio_ms", flushed.AudioSamples / 16.0);
                break;
            default:
                NativeEventWriter.Write(json, serverEvent);
                break;
        }

        json.WriteEndObject();
    }

    private static bool TryParseObject(ReadOnlySpan<byte> utf8, out JsonDocument? document, out ClientError? error)
    {
        document = null;
        error = null;
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 16 });
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            error = ClientError.InvalidJson(ex.Message);
            return false;
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            var kind = document.RootElement.ValueKind.ToString().ToLowerInvariant();
            document.Dispose();
            document = null;
            error = ClientError.InvalidConfig($"a control message must be a JSON object (got {kind})");
            return false;
        }

        return true;
    }

    private static string Describe(string? type) => type is null ? "(missing)" : $"\"{type}\"";
}
