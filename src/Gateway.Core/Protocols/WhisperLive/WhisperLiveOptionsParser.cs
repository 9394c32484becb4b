using System.Text.Json;
using Gateway.Core.Audio;
using Gateway.Core.Hotwords;
using Gateway.Core.Sessions;

namespace Gateway.Core.Protocols.WhisperLive;

/// <summary>
/// The options message a WhisperLive client sends first (WhisperLive 0.9.0 <c>Client.on_open</c>):
/// <c>{"uid","language","task","model","use_vad","send_last_n_segments",...,"audio_format"?}</c>.
/// Unknown keys are ignored, as the reference server does; a missing required key is an error instead of the
/// reference's silent close (WhisperLive issue #265).
/// </summary>
internal static class WhisperLiveOptionsParser
{
    public const int DefaultSendLastN = 10;

    /// <summary>The reference caps its transcript at 500 segments; a window never needs more.</summary>
    public const int MaxSendLastN = 500;


    private static readonly string[] Required = ["uid", "language", "task", "model"];

    public static WhisperLiveStart Parse(ReadOnlySpan<byte> utf8, StreamSettings initial, string defaultLanguage)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 16 });
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            return Fail(null, ClientError.InvalidJson(ex.Message));
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Fail(null, ClientError.InvalidConfig("the options message must be a JSON object"));
            }

            var uid = root.TryGetProperty("uid", out var u) ? System.Text.Encoding.UTF8.GetBytes(u.GetRawText()) : null;
            var missing = Required.Where(key => !root.TryGetProperty(key, out _)).ToList();
            if (missing.Count > 0)
            {
                return Fail(uid, ClientError.InvalidConfig(
                    $"the options message is missing required key{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing.Select(k => $"\"{k}\""))}"));
            }

            if (u.ValueKind is not (JsonValueKind.String or JsonValueKind.Number))
            {
                return Fail(uid, WrongType("uid", "a string", u));
            }

            var settings = initial with { Format = AudioFormat.Pipeline with { Encoding = AudioEncoding.F32Le }, InterimResults = true };
            var language = root.GetProperty("language");
            string? hint;
            switch (language.ValueKind)
            {
                case JsonValueKind.Null:
                    hint = null;
                    break;
                case JsonValueKind.String:
                    hint = string.IsNullOrWhiteSpace(language.GetString()) ? null : language.GetString()!.Trim();
                    break;
                default:
                    return Fail(uid, WrongType("language", "a string or null", language));
            }

            var task = root.GetProperty("task");
            if (task.ValueKind != JsonValueKind.String || task.GetString() is not ("transcribe" or "translate"))
            {
                return Fail(uid, ClientError.InvalidConfig($"task must be \"transcribe\" or \"translate\" (got {task.GetRawText()})"));
            }

            // The reference forces English for English-only Whisper models (base.en, small.en, ...).
            var model = root.GetProperty("model");
            if (model.ValueKind == JsonValueKind.String && model.GetString()!.EndsWith(".en", StringComparison.OrdinalIgnoreCase))
            {
                hint = "en";
            }

            var sendLastN = DefaultSendLastN;
            if (root.TryGetProperty("send_last_n_segments", out var n) && n.ValueKind != JsonValueKind.Null)
            {
                if (n.ValueKind != JsonValueKind.Number || !n.TryGetInt32(out sendLastN) || sendLastN < 1)
                {
                    return Fail(uid, WrongType("send_last_n_segments", "a positive integer", n));
                }

                sendLastN = Math.Min(sendLastN, MaxSendLastN);
            }

            if (root.TryGetProperty("audio_format", out var format) && format.ValueKind != JsonValueKind.Null)
            {
                AudioEncoding? encoding = format.ValueKind == JsonValueKind.String
                    ? format.GetString() switch
                    {
                        "float32" => AudioEncoding.F32Le,
                        "int16" => AudioEncoding.PcmS16Le,
                        "uint8" => AudioEncoding.U8,
                        _ => null,
                    }
                    : null;
                if (encoding is null)
                {
                    return Fail(uid, new ClientError(
                        ErrorCodes.UnsupportedEncoding,
                        $"unsupported audio_format {format.GetRawText()}; use \"float32\", \"int16\" or \"uint8\"",
                        CloseCodes.UnsupportedData));
                }

                settings = settings with { Format = settings.Format with { Encoding = encoding.Value } };
            }

            if (root.TryGetProperty("hotwords", out var hotwords))
            {
                if (hotwords.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                {
                    return Fail(uid, WrongType("hotwords", "a string or null", hotwords));
                }

                if (HotwordParser.ParseText(hotwords.GetString(), out var parsed) is { } hotwordError)
                {
                    return Fail(uid, ClientError.InvalidConfig(hotwordError));
                }

                settings = settings with { Hotwords = parsed };
            }

            settings = settings with { Language = hint };
            var report = language.ValueKind == JsonValueKind.Null ? hint ?? defaultLanguage : null;
            return new WhisperLiveStart(uid, new StartResult(settings, null), sendLastN, report);
        }
    }

    private static WhisperLiveStart Fail(byte[]? uid, ClientError error) =>
        new(uid, new StartResult(null, error), DefaultSendLastN, null);

    private static ClientError WrongType(string field, string expected, JsonElement value) =>
        ClientError.InvalidConfig($"{field} must be {expected} (got {value.GetRawText()})");
}
