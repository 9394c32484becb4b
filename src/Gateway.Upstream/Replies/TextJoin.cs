using System.Text;

namespace Gateway.Upstream.Replies;

/// <summary>
/// The one rule for joining recognised text (deltas into sentences, sentences into a segment, segments into an
/// utterance; the result assembler, the FunASR endpoint and libfunasr share it): Chinese and Japanese run together
/// as FunASR writes them; everything else, including Hangul and a switch between a CJK and a Latin script
/// (FunASR writes <c>我们用 python</c>), gets one space.
/// </summary>
internal static class TextJoin
{
    /// <summary>Appends <paramref name="next"/> (trimmed) to <paramref name="text"/>, with a space unless both sides are CJK.</summary>
    public static void Append(StringBuilder text, ReadOnlySpan<char> next)
    {
        next = next.Trim();
        if (next.IsEmpty)
        {
            return;
        }

        if (text.Length > 0 && !char.IsWhiteSpace(text[^1]) && !(IsCjk(text[^1]) && IsCjk(next[0])))
        {
            text.Append(' ');
        }

        text.Append(next);
    }

    /// <summary>CJK ideographs, kana, CJK punctuation and full-width forms take no spaces (Hangul, U+AC00.., does).</summary>
    public static bool IsCjk(char c) => c is (>= '\u2E80' and < '\uA000') or (>= '\uFF00' and < '\uFFF0');
}
