using System.Globalization;
using Gateway.Core.Audio;
using Gateway.Core.Segmentation;
using Gateway.Core.Sessions;

namespace Gateway.Core.Protocols.Deepgram;

/// <summary>
/// The query string of <c>/v1/listen</c> (live and prerecorded), as Deepgram documents it
/// (https://developers.deepgram.com/reference/speech-to-text/listen-streaming). Values the gateway cannot honour are
/// refused with the parameter named, so nothing is silently misapplied; parameters for features the gateway does
/// not have are accepted and listed in <see cref="DeepgramListen.Ignored"/>. Repeated keys (<c>keyterm</c>,
/// <c>keywords</c>, <c>tag</c>, <c>extra</c>) arrive as repeated pairs.
/// </summary>
public static class DeepgramQueryParser
{
    public const string DefaultModel = "general";

    /// <summary>FunASR hotword weight of a <c>keyterm</c>, or of a keyword with intensifier 1.</summary>
    public const int DefaultHotwordWeight = 20;

    private const int MaxChannels = 8;

    public static DeepgramQueryResult Parse(IEnumerable<KeyValuePair<string, string?>> query, SegmenterBounds bounds, string requestId)
    {
        string? encoding = null;
        int? rate = null;
        var channels = 1;
        var multichannel = false;
        var interim = false;
        var listen = new DeepgramListen { Settings = StreamSettings.Default, RequestId = requestId };
        int? endpointMs = null;
        var hotwords = new Dictionary<string, int>(StringComparer.Ordinal);
        var tags = new List<string>();
        var extra = new List<KeyValuePair<string, string>>();
        var ignored = new List<string>();
        string? language = null;
        foreach (var (key, raw) in query)
        {
            var value = raw ?? "";
            string? error = null;
            switch (key)
            {
                case "encoding":
                    encoding = value;
                    break;
                case "sample_rate":
                    error = Int(key, value, out var r);
                    rate = r;
                    break;
                case "channels":
                    error = Int(key, value, out channels);
                    error ??= channels is >= 1 and <= MaxChannels ? null : $"channels must be between 1 and {MaxChannels} (got {channels})";
                    break;
                case "multichannel":
                    error = Bool(key, value, out multichannel);
                    break;
                case "interim_results":
                    error = Bool(key, value, out interim);
                    break;
                case "language":
                    language = value.Length == 0 ? null : value;
                    break;
                case "model":
                    listen = listen with { Model = value.Length == 0 ? DefaultModel : value };
                    break;
                case "punctuate" or "smart_format":
                    error = Bool(key, value, out var punctuate);
                    listen = listen with { Punctuate = listen.Punctuate || punctuate };
                    break;
                case "endpointing":
                    if (value is "false")
                    {
                        listen = listen with { Endpointing = false };
                    }
                    else if (value is not "true")
                    {
                        error = Int(key, value, out var ms) ?? (ms < 0 ? "endpointing must be a number of milliseconds or false" : null);
                        // The segmenter cannot end speech on 10 ms of silence (Deepgram's default): values are held inside the
                        // server's bounds, as docs/deepgram.md says.
                        endpointMs = Math.Clamp(ms, bounds.EndpointSilenceMsMin, bounds.EndpointSilenceMsMax);
                    }

                    break;
                case "utterance_end_ms":
                    error = Int(key, value, out var gap) ?? (gap <= 0 ? "utterance_end_ms must be a positive number of milliseconds" : null);
                    listen = listen with { UtteranceEndMs = gap };
                    break;
                case "vad_events":
                    error = Bool(key, value, out var vadEvents);
                    listen = listen with { VadEvents = vadEvents };
                    break;
                case "utterances":
                    error = Bool(key, value, out var utterances);
                    listen = listen with { Utterances = utterances };
                    break;
                case "keyterm":
                    AddHotword(hotwords, value, DefaultHotwordWeight);
                    break;
                case "keywords":
                    error = Keyword(hotwords, value);
                    break;
                case "tag":
                    tags.Add(value);
                    break;
                case "extra":
                    var colon = value.IndexOf(':', StringComparison.Ordinal);
                    error = colon > 0 ? null : $"extra must be key:value (got \"{value}\")";
                    if (error is null)
                    {
                        extra.Add(new(value[..colon], value[(colon + 1)..]));
                    }

                    break;
                case "token" or "version" or "mip_opt_out":
                    break; // authentication is the host's; a model version and opt-out change nothing here
                default:
                    if (!ignored.Contains(key))
                    {
                        ignored.Add(key);
                    }

                    break;
            }

            if (error is not null)
            {
                return DeepgramQueryResult.Invalid(error);
            }
        }

        AudioFormat format;
        if (encoding is null)
        {
            if (rate is not null && !AudioFormat.SupportedRates.Contains(rate.Value) && rate.Value != 0)
            {
                return DeepgramQueryResult.Invalid(RateError(rate.Value));
            }

            // Containerised audio: ffmpeg decodes to the pipeline format (per channel when multichannel).
            format = AudioFormat.Pipeline;
            listen = listen with { Containerised = true };
        }
        else
        {
            if (EncodingError(encoding, out var parsed) is { } encodingError)
            {
                return DeepgramQueryResult.Invalid(encodingError);
            }

            if (rate is null)
            {
                return DeepgramQueryResult.Invalid($"sample_rate is required with encoding={encoding}");
            }

            if (!AudioFormat.SupportedRates.Contains(rate.Value))
            {
                return DeepgramQueryResult.Invalid(RateError(rate.Value));
            }

            if (!multichannel && channels > 2)
            {
                return DeepgramQueryResult.Invalid($"channels={channels} needs multichannel=true (without it 1 or 2 channels are mixed to mono)");
            }

            format = new AudioFormat(parsed, rate.Value, multichannel ? 1 : channels);
        }

        if (listen.UtteranceEndMs is not null && !interim)
        {
            return DeepgramQueryResult.Invalid("utterance_end_ms requires interim_results=true");
        }

        var settings = StreamSettings.Default with
        {
            Format = format,
            Language = language,
            Hotwords = hotwords,
            InterimResults = interim,
            Segmentation = endpointMs is { } endpoint ? new SegmenterOverrides { EndpointSilenceMs = endpoint } : null,
        };
        return new DeepgramQueryResult(
            listen with
            {
                Settings = settings,
                Channels = channels,
                Multichannel = multichannel && channels > 1,
                Tags = tags,
                Extra = extra,
                Ignored = ignored,
            },
            null);
    }

    private static string? EncodingError(string encoding, out AudioEncoding parsed)
    {
        parsed = encoding switch
        {
            "linear16" => AudioEncoding.PcmS16Le,
            "linear32" => AudioEncoding.S32Le,
            "float" or "float32" => AudioEncoding.F32Le,
            "mulaw" => AudioEncoding.Mulaw,
            "alaw" => AudioEncoding.Alaw,
            _ => (AudioEncoding)(-1),
        };
        return (int)parsed >= 0
            ? null
            : $"encoding \"{encoding}\" is not supported; use linear16, linear32, float, mulaw or alaw, or omit encoding for containerised audio (WAV, WebM, Ogg)";
    }

    private static string RateError(int rate) =>
        $"sample_rate {rate} is not supported; use one of {string.Join(", ", AudioFormat.SupportedRates)}";

    /// <summary><c>keywords=word:intensifier</c>: the intensifier scales the FunASR weight; a negative one (suppression) is refused.</summary>
    private static string? Keyword(Dictionary<string, int> hotwords, string value)
    {
        var colon = value.LastIndexOf(':');
        if (colon < 0)
        {
            AddHotword(hotwords, value, DefaultHotwordWeight);
            return null;
        }

        if (!double.TryParse(value.AsSpan(colon + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var intensifier) || !double.IsFinite(intensifier))
        {
            return $"keywords intensifier must be a number (got \"{value}\")";
        }

        if (intensifier <= 0)
        {
            return $"keywords with a zero or negative intensifier (suppression) are not supported (got \"{value}\")";
        }

        AddHotword(hotwords, value[..colon], (int)Math.Clamp(Math.Round(DefaultHotwordWeight * intensifier), 1, 100));
        return null;
    }

    private static void AddHotword(Dictionary<string, int> hotwords, string word, int weight)
    {
        word = word.Trim();
        if (word.Length > 0)
        {
            hotwords[word] = weight;
        }
    }

    private static string? Int(string key, string value, out int result) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out result) ? null : $"{key} must be an integer (got \"{value}\")";

    private static string? Bool(string key, string value, out bool result)
    {
        result = value is "true";
        return value is "true" or "false" ? null : $"{key} must be true or false (got \"{value}\")";
    }
}
