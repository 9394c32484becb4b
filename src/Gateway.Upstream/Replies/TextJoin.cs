using System.Text;

namespace Gateway.Upstream.Replies;

/// <summary>
/// Joins FunASR sentence texts into one utterance text (the FunASR endpoint and libfunasr share it): Chinese and Japanese run together as FunASR writes them, words
/// in space-separated scripts get one space between sentences.
/// </summary>
internal static class TextJoin
{
    public static void Append(StringBuilder text, string next)
    {
        next = next.Trim();
        if (next.Length == 0)
        {
            return;
        }

        if (text.Length > 0 && !IsCjk(text[^1]) && !IsCjk(next[0]) && !char.IsWhiteSpace(text[^1]))
        {
            text.Append(' ');
        }

        text.Append(next);
    }

    /// <summary>CJK ideographs, kana, CJK punctuation and full-width forms take no spaces (Hangul does).</summary>
    private static bool IsCjk(char c) => c is (>= '\u2E80' and < '\uA000') or (>= '\uFF00' and < '\uFFF0');
}
