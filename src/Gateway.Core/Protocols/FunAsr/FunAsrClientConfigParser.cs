using System.Globalization;
using System.Text.Json;
using Gateway.Core.Hotwords;
using Gateway.Core.Sessions;

namespace Gateway.Core.Protocols.FunAsr;

/// <summary>
/// A FunASR client's config message (funasr.md §3.1), read loosely as real clients send it: <c>chunk_size</c> as a
/// list or <c>"5,10,5"</c>, <c>hotwords</c> as a JSON string, an object or a plain word list, <c>is_finished</c>
/// for end of speech, unknown keys ignored. A value that cannot mean anything is an error, never silence.
/// </summary>
internal static class FunAsrClientConfigParser
{

    public static (FunAsrClientConfig? Config, ClientError? Error) Parse(ReadOnlySpan<byte> utf8)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 16 });
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            return (null, ClientError.InvalidJson(ex.Message));
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, ClientError.InvalidConfig("a config message must be a JSON object"));
            }

            var config = new FunAsrClientConfig();
            bool? speaking = null;
            bool finished = false;
            foreach (var property in root.EnumerateObject())
            {
                var value = property.Value;
                if (value.ValueKind == JsonValueKind.Null)
                {
                    continue; // null reads as absent
                }

                ClientError? error = null;
                switch (property.Name)
                {
                    case "mode":
                        if (value.ValueKind != JsonValueKind.String || !FunAsrModes.IsRequestable(value.GetString()!))
                        {
                            error = ClientError.InvalidConfig($"mode must be \"2pass\", \"online\" or \"offline\" (got {value.GetRawText()})");
                        }
                        else
                        {
                            config = config with { Mode = value.GetString() };
                        }

                        break;
                    case "chunk_size":
                        error = CheckChunkSize(value);
                        break;
                    case "wav_name":
                        if (value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                        {
                            config = config with { WavName = value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText() };
                        }
                        else if (value.ValueKind != JsonValueKind.Null)
                        {
                            error = WrongType("wav_name", "a string", value);
                        }

                        break;
                    case "wav_format":
                        if (value.ValueKind != JsonValueKind.String)
                        {
                            error = WrongType("wav_format", "a string", value);
                        }
                        else if (value.GetString()!.Trim().ToUpperInvariant() is "PCM" or "WAV")
                        {
                            config = config with { Pcm = true };
                        }
                        else
                        {
                            error = new ClientError(
                                ErrorCodes.UnsupportedEncoding,
                                $"wav_format \"{value.GetString()}\" is not supported; send 16-bit PCM (wav_format \"pcm\", a WAV header is allowed)",
                                CloseCodes.UnsupportedData);
                        }

                        break;
                    case "audio_fs":
                        if (!TryGetInt(value, out var rate))
                        {
                            error = WrongType("audio_fs", "an integer", value);
                        }
                        else if (!Audio.AudioFormat.SupportedRates.Contains(rate))
                        {
                            error = new ClientError(
                                ErrorCodes.UnsupportedSampleRate,
                                $"unsupported audio_fs {rate}; use one of {string.Join(", ", Audio.AudioFormat.SupportedRates)}",
                                CloseCodes.UnsupportedData);
                        }
                        else
                        {
                            config = config with { AudioFs = rate };
                        }

                        break;
                    case "is_speaking":
                        error = ReadFlag("is_speaking", value, out var s);
                        speaking = s;
                        break;
                    case "is_finished":
                        error = ReadFlag("is_finished", value, out var f);
                        finished = f ?? false;
                        break;
                    case "is_end":
                        error = ReadFlag("is_end", value, out var end);
                        config = config with { AckRequested = end ?? false };
                        break;
                    case "hotwords":
                        error = ParseHotwords(value, out var hotwords);
                        config = config with { Hotwords = hotwords };
                        break;
                    case "svs_lang":
                        if (value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } lang
                            && !lang.Equals("auto", StringComparison.OrdinalIgnoreCase))
                        {
                            config = config with { Language = lang };
                        }

                        break;
                    default:
                        break; // chunk_interval, *_chunk_look_back, itn, svs_itn and anything newer: accepted, not needed
                }

                if (error is not null)
                {
                    return (null, error);
                }
            }

            return (config with { EndOfSpeech = speaking == false || finished }, null);
        }
    }

    /// <summary>Three integers as a list or a comma-separated string; the gateway's own VAD makes the value moot.</summary>
    private static ClientError? CheckChunkSize(JsonElement value)
    {
        var ok = value.ValueKind switch
        {
            JsonValueKind.Array => value.EnumerateArray().All(e => TryGetInt(e, out _)) && value.GetArrayLength() > 0,
            JsonValueKind.String => value.GetString()!.Split(',', StringSplitOptions.TrimEntries)
                .All(p => int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)),
            _ => false,
        };
        return ok ? null : ClientError.InvalidConfig($"chunk_size must be a list of integers such as [5,10,5] or \"5,10,5\" (got {value.GetRawText()})");
    }

    private static ClientError? ReadFlag(string field, JsonElement value, out bool? flag)
    {
        flag = value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when value.TryGetInt32(out var n) && n is 0 or 1 => n == 1,
            JsonValueKind.Null => null,
            _ => null,
        };
        return flag is null && value.ValueKind != JsonValueKind.Null ? WrongType(field, "a boolean", value) : null;
    }

    /// <summary>
    /// A JSON string holding <c>{"word": weight}</c> (the C++ servers' form), that object itself, or the shared text
    /// form (<see cref="HotwordParser"/>); null leaves the connection's hotwords as they are.
    /// </summary>
    private static ClientError? ParseHotwords(JsonElement value, out IReadOnlyDictionary<string, int>? hotwords)
    {
        hotwords = null;
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind is not (JsonValueKind.String or JsonValueKind.Object))
        {
            return WrongType("hotwords", "a string", value);
        }

        var error = HotwordParser.ParseJson(value, out var parsed);
        hotwords = parsed;
        return error is null ? null : ClientError.InvalidConfig(error);
    }

    private static bool TryGetInt(JsonElement value, out int number)
    {
        number = 0;
        return value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetInt32(out number),
            JsonValueKind.String => int.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out number),
            _ => false,
        };
    }

    private static ClientError WrongType(string field, string expected, JsonElement value) =>
        ClientError.InvalidConfig($"{field} must be {expected} (got {value.GetRawText()})");
}
