using System.Globalization;
using System.Text.Json;
using Gateway.Core.Audio;
using Gateway.Core.Hotwords;
using Gateway.Core.Segmentation;
using Gateway.Core.Sessions;

namespace Gateway.Core.Protocols.Native;

/// <summary>
/// Stream settings from the query string (<c>?encoding=f32le&amp;sample_rate=48000</c>) and from the start
/// message. Unknown keys are errors, so a typo is reported instead of silently ignored.
/// </summary>
public static class NativeSettingsParser
{
    public static StartResult FromQuery(IEnumerable<KeyValuePair<string, string?>> query)
    {
        var settings = StreamSettings.Default;
        var encoding = settings.Format.Encoding;
        var rate = settings.Format.SampleRate;
        var channels = settings.Format.Channels;
        foreach (var (key, value) in query)
        {
            ClientError? error = null;
            switch (key)
            {
                case "encoding":
                    error = ParseEncoding(value, out encoding);
                    break;
                case "sample_rate":
                    error = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out rate)
                        ? CheckRate(rate)
                        : ClientError.InvalidConfig($"sample_rate must be an integer (got \"{value}\")");
                    break;
                case "channels":
                    error = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out channels)
                        ? CheckChannels(channels)
                        : ClientError.InvalidConfig($"channels must be an integer (got \"{value}\")");
                    break;
                case "language":
                    settings = settings with { Language = string.IsNullOrWhiteSpace(value) ? null : value };
                    break;
                case "hotwords":
                    error = HotwordParser.ParseText(value, out var queryHotwords) is { } hotwordError ? ClientError.InvalidConfig(hotwordError) : null;
                    settings = settings with { Hotwords = queryHotwords };
                    break;
                case "interim_results":
                    if (bool.TryParse(value, out var interim))
                    {
                        settings = settings with { InterimResults = interim };
                    }
                    else
                    {
                        error = ClientError.InvalidConfig($"interim_results must be true or false (got \"{value}\")");
                    }

                    break;
                case "room":
                    settings = settings with { Room = value };
                    break;
                case "speaker":
                    settings = settings with { Speaker = value };
                    break;
                case "token":
                    break; // authentication is the host's business; accepted so clients that send it work
                default:
                    error = ClientError.InvalidConfig($"unknown query parameter \"{key}\"");
                    break;
            }

            if (error is not null)
            {
                return new StartResult(null, error);
            }
        }

        return new StartResult(settings with { Format = new AudioFormat(encoding, rate, channels) }, null);
    }

    public static StartResult FromJson(JsonElement start, StreamSettings initial)
    {
        var settings = initial;
        var format = initial.Format;
        foreach (var property in start.EnumerateObject())
        {
            var value = property.Value;
            ClientError? error = null;
            switch (property.Name)
            {
                case "type":
                    break;
                case "encoding":
                    if (value.ValueKind != JsonValueKind.String)
                    {
                        error = WrongType("encoding", "a string", value);
                    }
                    else
                    {
                        error = ParseEncoding(value.GetString(), out var encoding);
                        format = format with { Encoding = encoding };
                    }

                    break;
                case "sample_rate":
                    if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var rate))
                    {
                        error = WrongType("sample_rate", "an integer", value);
                    }
                    else
                    {
                        error = CheckRate(rate);
                        format = format with { SampleRate = rate };
                    }

                    break;
                case "channels":
                    if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var channels))
                    {
                        error = WrongType("channels", "an integer", value);
                    }
                    else
                    {
                        error = CheckChannels(channels);
                        format = format with { Channels = channels };
                    }

                    break;
                case "language":
                    if (value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                    {
                        error = WrongType("language", "a string or null", value);
                    }
                    else
                    {
                        settings = settings with { Language = value.ValueKind == JsonValueKind.Null ? null : value.GetString() };
                    }

                    break;
                case "hotwords":
                    error = ParseHotwords(value, out var hotwords);
                    settings = settings with { Hotwords = hotwords };
                    break;
                case "interim_results":
                    if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                    {
                        error = WrongType("interim_results", "a boolean", value);
                    }
                    else
                    {
                        settings = settings with { InterimResults = value.GetBoolean() };
                    }

                    break;
                case "room" or "speaker":
                    if (value.ValueKind != JsonValueKind.String)
                    {
                        error = WrongType(property.Name, "a string", value);
                    }
                    else
                    {
                        settings = property.Name == "room" ? settings with { Room = value.GetString() } : settings with { Speaker = value.GetString() };
                    }

                    break;
                case "token":
                    // The credential of a client that cannot set headers: the endpoint checked it before the session
                    // started (docs/security.md); the session itself ignores it.
                    if (value.ValueKind != JsonValueKind.String)
                    {
                        error = WrongType(property.Name, "a string", value);
                    }

                    break;
                case "segmentation":
                    error = ParseSegmentation(value, out var segmentation);
                    settings = settings with { Segmentation = segmentation };
                    break;
                default:
                    error = ClientError.InvalidConfig($"unknown field \"{property.Name}\" in the start message");
                    break;
            }

            if (error is not null)
            {
                return new StartResult(null, error);
            }
        }

        return new StartResult(settings with { Format = format }, null);
    }

    /// <summary>
    /// Per-session VAD segmentation (<c>{"endpoint_silence_ms": 800, ...}</c>); the values are checked against the
    /// server's bounds by <see cref="SegmenterSettings.TryResolve"/>. Also the ingests' (<c>POST /v1/ingests</c>).
    /// </summary>
    public static ClientError? ParseSegmentation(JsonElement value, out SegmenterOverrides? overrides)
    {
        overrides = null;
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            return WrongType("segmentation", "an object", value);
        }

        var result = new SegmenterOverrides();
        foreach (var field in value.EnumerateObject())
        {
            var v = field.Value;
            if (v.ValueKind != JsonValueKind.Number)
            {
                return WrongType("segmentation." + field.Name, "a number", v);
            }

            var isInt = v.TryGetInt32(out var i);
            result = field.Name switch
            {
                "threshold" => result with { Threshold = v.GetDouble() },
                "neg_threshold" => result with { NegThreshold = v.GetDouble() },
                "min_speech_ms" when isInt => result with { MinSpeechMs = i },
                "endpoint_silence_ms" when isInt => result with { EndpointSilenceMs = i },
                "max_segment_ms" when isInt => result with { MaxSegmentMs = i },
                "pre_roll_ms" when isInt => result with { PreRollMs = i },
                "post_roll_ms" when isInt => result with { PostRollMs = i },
                "min_speech_ms" or "endpoint_silence_ms" or "max_segment_ms" or "pre_roll_ms" or "post_roll_ms" => null!,
                _ => null!,
            };
            if (result is null)
            {
                return isInt || field.Name is not ("min_speech_ms" or "endpoint_silence_ms" or "max_segment_ms" or "pre_roll_ms" or "post_roll_ms")
                    ? ClientError.InvalidConfig($"unknown field \"segmentation.{field.Name}\"")
                    : WrongType("segmentation." + field.Name, "an integer", v);
            }
        }

        overrides = result;
        return null;
    }

    private static ClientError? ParseEncoding(string? value, out AudioEncoding encoding) =>
        AudioEncodingNames.TryParse(value, out encoding)
            ? null
            : new ClientError(
                ErrorCodes.UnsupportedEncoding,
                $"unsupported encoding \"{value}\"; use {AudioEncodingNames.PcmS16Le}, {AudioEncodingNames.F32Le} or {AudioEncodingNames.U8}",
                CloseCodes.UnsupportedData);

    private static ClientError? CheckRate(int rate) =>
        AudioFormat.SupportedRates.Contains(rate)
            ? null
            : new ClientError(
                ErrorCodes.UnsupportedSampleRate,
                $"unsupported sample_rate {rate}; use one of {string.Join(", ", AudioFormat.SupportedRates)}",
                CloseCodes.UnsupportedData);

    private static ClientError? CheckChannels(int channels) =>
        channels is 1 or 2
            ? null
            : new ClientError(ErrorCodes.UnsupportedChannels, $"unsupported channels {channels}; use 1 or 2 (stereo is down-mixed)", CloseCodes.UnsupportedData);

    private static ClientError WrongType(string field, string expected, JsonElement value) =>
        ClientError.InvalidConfig($"{field} must be {expected} (got {value.ValueKind.ToString().ToLowerInvariant()} {value.GetRawText()})");

    /// <summary>Hotwords in any form of the one grammar (<see cref="HotwordParser"/>); also the rooms' (<c>POST /v1/rooms</c>).</summary>
    internal static ClientError? ParseHotwords(JsonElement value, out IReadOnlyDictionary<string, int> hotwords)
    {
        var error = HotwordParser.ParseJson(value, out var parsed);
        hotwords = parsed;
        return error is null ? null : ClientError.InvalidConfig(error);
    }
}
