using System.Globalization;
using System.Text.Json;

namespace Gateway.Core.Hotwords;

/// <summary>
/// The one hotword grammar of every protocol (native, FunASR, WhisperLive, and a Deepgram <c>keywords=word:boost</c>
/// value), so a hotword means the same whichever way a client sends it. Weights are integers from
/// <see cref="MinWeight"/> to <see cref="MaxWeight"/>; a hotword given without one weighs <see cref="DefaultWeight"/>.
/// </summary>
/// <remarks>
/// Text form: entries separated by commas or new lines, each a phrase with an optional weight as
/// <c>phrase:weight</c> or <c>phrase weight</c> (the FunASR hotword-file line, <c>阿里巴巴 20</c>). Without a comma or
/// new line the text is a word list separated by white space, where a number after a word is that word's weight:
/// <c>kilo 30</c> is one word weighing 30, <c>alpha bravo:40</c> two words.
/// </remarks>
internal static class HotwordParser
{
    /// <summary>Weight of a hotword given without one: 20, the FunASR documentation's example weight.</summary>
    public const int DefaultWeight = 20;

    public const int MinWeight = 1;

    public const int MaxWeight = 100;

    private static readonly char[] EntrySeparators = [',', '\n', '\r'];

    /// <summary>Parses the text form (a later entry for the same phrase wins). Returns the error, or null.</summary>
    public static string? ParseText(ReadOnlySpan<char> text, out Dictionary<string, int> hotwords)
    {
        hotwords = new Dictionary<string, int>(StringComparer.Ordinal);
        return Text(text, hotwords);
    }

    /// <summary>
    /// Parses a JSON value: a string (an object of weights written as JSON, or the text form), an object
    /// <c>{"phrase": weight}</c> (weights as numbers or numeric strings, FunASR issue #2805), an array of phrases
    /// taken as they are, or null (no hotwords). Returns the error, or null.
    /// </summary>
    public static string? ParseJson(JsonElement value, out Dictionary<string, int> hotwords)
    {
        hotwords = new Dictionary<string, int>(StringComparer.Ordinal);
        return Json(value, hotwords);
    }

    private static string? Text(ReadOnlySpan<char> text, Dictionary<string, int> hotwords)
    {
        if (text.IndexOfAny(EntrySeparators) >= 0)
        {
            foreach (var range in text.SplitAny(EntrySeparators))
            {
                if (ParseEntry(text[range].Trim(), hotwords, trailingNumberIsWeight: true, out _, out _) is { } error)
                {
                    return error;
                }
            }

            return null;
        }

        string? word = null;
        var weighted = false;
        foreach (var range in text.SplitAny(" \t"))
        {
            var token = text[range];
            if (token.IsEmpty)
            {
                continue;
            }

            if (word is not null && !weighted && IsNumber(token))
            {
                if (Weight(word, token, out var weight) is { } error)
                {
                    return error;
                }

                hotwords[word] = weight;
                weighted = true;
                continue;
            }

            if (ParseEntry(token, hotwords, trailingNumberIsWeight: false, out word, out weighted) is { } entryError)
            {
                return entryError;
            }
        }

        return null;
    }

    private static string? Json(JsonElement value, Dictionary<string, int> hotwords)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.Object:
                return ParseWeights(value, hotwords);
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString()))
                    {
                        return $"hotwords must be non-empty strings (got {item.GetRawText()})";
                    }

                    hotwords[item.GetString()!.Trim()] = DefaultWeight;
                }

                return null;
            case JsonValueKind.String:
                var text = value.GetString()!.AsSpan().Trim();
                if (!text.StartsWith('{'))
                {
                    return Text(text, hotwords);
                }

                try
                {
                    using var inner = JsonDocument.Parse(value.GetString()!);
                    return ParseWeights(inner.RootElement, hotwords);
                }
                catch (JsonException)
                {
                    return "hotwords looks like JSON but is not valid JSON";
                }

            default:
                return $"hotwords must be a string, an array of strings or an object of weights (got {value.GetRawText()})";
        }
    }

    private static string? ParseWeights(JsonElement value, Dictionary<string, int> hotwords)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return "hotwords JSON must be an object of {\"word\": weight}";
        }

        foreach (var entry in value.EnumerateObject())
        {
            var phrase = entry.Name.Trim();
            if (phrase.Length == 0)
            {
                return $"hotwords must be non-empty strings (got \"{entry.Name}\")";
            }

            var raw = entry.Value.ValueKind switch
            {
                JsonValueKind.Number => entry.Value.GetRawText(),
                JsonValueKind.String => entry.Value.GetString()!,
                _ => null,
            };
            if (raw is null)
            {
                return WeightError(phrase, entry.Value.GetRawText());
            }

            if (Weight(phrase, raw, out var weight) is { } error)
            {
                return error;
            }

            hotwords[phrase] = weight;
        }

        return null;
    }

    /// <summary>One phrase with an optional <c>:weight</c> (or, when <paramref name="trailingNumberIsWeight"/>, a last word that is a number).</summary>
    private static string? ParseEntry(ReadOnlySpan<char> entry, Dictionary<string, int> hotwords, bool trailingNumberIsWeight, out string? phrase, out bool weighted)
    {
        phrase = null;
        weighted = false;
        if (entry.IsEmpty)
        {
            return null;
        }

        var weight = DefaultWeight;
        var colon = entry.LastIndexOf(':');
        var space = entry.LastIndexOfAny(' ', '\t');
        if (colon > 0 && colon < entry.Length - 1 && IsNumber(entry[(colon + 1)..].Trim()))
        {
            if (Weight(entry[..colon].Trim().ToString(), entry[(colon + 1)..].Trim(), out weight) is { } error)
            {
                return error;
            }

            entry = entry[..colon].Trim();
            weighted = true;
        }
        else if (trailingNumberIsWeight && space > 0 && IsNumber(entry[(space + 1)..]))
        {
            if (Weight(entry[..space].Trim().ToString(), entry[(space + 1)..], out weight) is { } error)
            {
                return error;
            }

            entry = entry[..space].Trim();
            weighted = true;
        }

        if (entry.IsEmpty)
        {
            return null;
        }

        phrase = entry.ToString();
        hotwords[phrase] = weight;
        return null;
    }

    /// <summary>A token that can only be meant as a weight: an optional sign, a digit, then no separator.</summary>
    private static bool IsNumber(ReadOnlySpan<char> token)
    {
        var digits = token.Length > 1 && token[0] is '-' or '+' ? token[1..] : token;
        return digits.Length > 0 && char.IsAsciiDigit(digits[0]) && digits.IndexOfAny(':', ',') < 0;
    }

    private static string? Weight(string phrase, ReadOnlySpan<char> raw, out int weight)
    {
        if (int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out weight) && weight is >= MinWeight and <= MaxWeight)
        {
            return null;
        }

        return WeightError(phrase, raw.ToString());
    }

    private static string WeightError(string phrase, string raw) =>
        $"hotword weight for \"{phrase}\" must be an integer from {MinWeight} to {MaxWeight} (got {raw})";
}
