using System.Text;
using System.Text.Json;

namespace Gateway.Core.Protocols.Deepgram;

/// <summary>
/// Deepgram's <c>words[]</c> from a sentence with a start and an end but no word times (FunASR gives none):
/// the sentence's span is shared among its words in proportion to their length, so times are monotonic,
/// contiguous and inside the sentence (docs/deepgram.md, "word times"). CJK text has no spaces: each CJK
/// character is a word.
/// </summary>
internal static class DeepgramWords
{
    /// <summary>The upstream reports no confidence; 1.0 keeps client-side confidence filters from dropping text.</summary>
    public const double Confidence = 1.0;

    /// <summary>Splits <paramref name="text"/> into (punctuated) tokens.</summary>
    public static List<string> Tokens(string text)
    {
        var tokens = new List<string>();
        foreach (var part in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var start = 0;
            for (var i = 0; i < part.Length; i++)
            {
                if (!IsCjk(part[i]))
                {
                    continue;
                }

                if (i > start)
                {
                    tokens.Add(part[start..i]);
                }

                // A CJK character and the punctuation right after it make one token.
                var end = i + 1;
                while (end < part.Length && char.IsPunctuation(part[end]))
                {
                    end++;
                }

                tokens.Add(part[i..end]);
                start = end;
                i = end - 1;
            }

            if (start < part.Length)
            {
                if (tokens.Count > 0 && IsPunctuationOnly(part.AsSpan(start)) && start > 0)
                {
                    tokens[^1] += part[start..];
                }
                else
                {
                    tokens.Add(part[start..]);
                }
            }
        }

        return tokens;
    }

    /// <summary>The bare word: lower case, without leading or trailing punctuation.</summary>
    public static string Bare(string token) => token.Trim(PunctuationChars(token)).ToLowerInvariant();

    /// <summary>Writes <c>"words":[...]</c> for tokens spread over [start, end] seconds.</summary>
    public static void Write(Utf8JsonWriter json, List<string> tokens, double start, double end, bool punctuate)
    {
        json.WriteStartArray("words");
        WriteItems(json, tokens, start, end, punctuate);
        json.WriteEndArray();
    }

    /// <summary>The word objects alone, for an array that spans several sentences.</summary>
    public static void WriteItems(Utf8JsonWriter json, List<string> tokens, double start, double end, bool punctuate)
    {
        var total = 0;
        foreach (var token in tokens)
        {
            total += Weight(token);
        }

        var at = 0;
        var span = Math.Max(0, end - start);
        foreach (var token in tokens)
        {
            var word = Bare(token);
            var wordStart = start + span * at / Math.Max(1, total);
            at += Weight(token);
            var wordEnd = start + span * at / Math.Max(1, total);
            if (word.Length == 0)
            {
                continue;
            }

            json.WriteStartObject();
            json.WriteString("word", word);
            json.WriteNumber("start", Math.Round(wordStart, 3));
            json.WriteNumber("end", Math.Round(wordEnd, 3));
            json.WriteNumber("confidence", Confidence);
            if (punctuate)
            {
                json.WriteString("punctuated_word", token);
            }

            json.WriteEndObject();
        }
    }

    /// <summary>The transcript without punctuation (<c>punctuate=false</c>): bare words, spaces except between CJK words.</summary>
    public static string Unpunctuated(List<string> tokens)
    {
        var text = new StringBuilder();
        foreach (var token in tokens)
        {
            var word = Bare(token);
            if (word.Length == 0)
            {
                continue;
            }

            if (text.Length > 0 && !(IsCjk(text[^1]) && IsCjk(word[0])))
            {
                text.Append(' ');
            }

            text.Append(word);
        }

        return text.ToString();
    }

    private static int Weight(string token) => Math.Max(1, token.Length);

    private static bool IsPunctuationOnly(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsPunctuation(c))
            {
                return false;
            }
        }

        return true;
    }

    private static char[] PunctuationChars(string token)
    {
        var chars = new List<char>();
        foreach (var c in token)
        {
            if (char.IsPunctuation(c) || char.IsSymbol(c))
            {
                chars.Add(c);
            }
        }

        return [.. chars];
    }

    private static bool IsCjk(char c) => c >= '\u2E80' && !char.IsPunctuation(c);
}
