using System.Buffers;
using System.Text.Unicode;

namespace Gateway.Upstream.Replies;

/// <summary>
/// The fast tier of reply parsing: one forward walk over a compact, flat JSON object (the C++ servers' nlohmann
/// <c>dump()</c>), finding each string's end with a vectorised <c>IndexOfAny</c> and dispatching keys by length.
/// Returns false, without judging the input, for anything outside that shape — escapes, whitespace, nested values,
/// fractions, a value of an unexpected type — and <see cref="FunAsrReplyReader"/> decides instead.
/// </summary>
/// <remarks>PERF: about an order of magnitude under JsonSerializer for a 2pass partial; see ReplyParseBenchmarks.</remarks>
internal static class FunAsrReplyScanner
{
    private static readonly SearchValues<byte> Unusual = SearchValues.Create(
        [(byte)'\\', 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31]);

    /// <param name="json">One whole text message.</param>
    /// <param name="output">Receives unescaped strings; at least <c>json.Length</c> bytes.</param>
    /// <param name="reply">The parsed reply when the method returns true.</param>
    public static bool TryScan(ReadOnlySpan<byte> json, Span<byte> output, out FunAsrReply reply)
    {
        reply = default;
        if (json.Length < 2 || json[0] != (byte)'{' || json[^1] != (byte)'}' || output.Length < json.Length)
        {
            return false;
        }

        // PERF: one vectorised pass over the whole message replaces per-string checks: no escapes, no control bytes
        // or line breaks (raw ones are invalid inside strings, and compact output has none). After it a string ends
        // at the next quote. UTF-8 is validated only for the strings we hand out (text, wav_name).
        if (json.IndexOfAny(Unusual) >= 0)
        {
            return false;
        }

        var p = 1;
        var written = 0;
        if (json[p] == (byte)'}')
        {
            return p == json.Length - 1;
        }

        while (true)
        {
            if (json[p] != (byte)'"')
            {
                return false;
            }

            // PERF: known keys are matched with their closing quote and colon as one literal compare; only an
            // unknown key pays for a search of its end.
            var key = FunAsrKeys.MatchPrefix(json[(p + 1)..], out var consumed);
            if (key == FunAsrKey.Unknown)
            {
                var keyEnd = StringEnd(json, p + 1);
                if (keyEnd < 0 || keyEnd + 1 >= json.Length - 1 || json[keyEnd + 1] != (byte)':')
                {
                    return false;
                }

                p = keyEnd + 2;
            }
            else
            {
                p += 1 + consumed;
                if (p >= json.Length - 1)
                {
                    return false;
                }
            }

            var c = json[p];
            if (c == (byte)'"')
            {
                var end = StringEnd(json, p + 1);
                if (end < 0 || !OnString(ref reply, key, json, p + 1, end, output, ref written))
                {
                    return false;
                }

                p = end + 1;
            }
            else if (c is (byte)'t' or (byte)'f' or (byte)'n')
            {
                if (!OnLiteral(ref reply, key, json[p..], out var length))
                {
                    return false;
                }

                p += length;
            }
            else if (c == (byte)'-' || char.IsAsciiDigit((char)c))
            {
                if (!TryInteger(json[p..], out var value, out var length) || !OnInteger(ref reply, key, value))
                {
                    return false;
                }

                p += length;
            }
            else
            {
                return false;
            }

            if (p >= json.Length)
            {
                return false;
            }

            if (json[p] == (byte)'}')
            {
                return p == json.Length - 1;
            }

            if (json[p] != (byte)',' || ++p >= json.Length - 1)
            {
                return false;
            }
        }
    }

    /// <summary>Index of the closing quote of a string starting at <paramref name="start"/> (escapes were ruled out up front), or -1.</summary>
    private static int StringEnd(ReadOnlySpan<byte> json, int start)
    {
        var i = json[start..].IndexOf((byte)'"');
        return i < 0 ? -1 : start + i;
    }

    private static bool OnString(ref FunAsrReply reply, FunAsrKey key, ReadOnlySpan<byte> json, int start, int end, Span<byte> output, ref int written)
    {
        var content = json[start..end];
        switch (key)
        {
            case FunAsrKey.Mode:
                reply.Mode = FunAsrReply.ParseMode(content);
                return true;
            case FunAsrKey.Text when Utf8.IsValid(content):
                content.CopyTo(output[written..]);
                reply.HasText = true;
                reply.TextStart = written;
                reply.TextLength = content.Length;
                written += content.Length;
                return true;
            case FunAsrKey.WavName when Utf8.IsValid(content):
                content.CopyTo(output[written..]);
                reply.HasWavName = true;
                reply.WavNameStart = written;
                reply.WavNameLength = content.Length;
                written += content.Length;
                return true;
            case FunAsrKey.Timestamp:
                reply.TimestampKind = FunAsrValueKind.String;
                reply.TimestampValue = 0;
                reply.TimestampRawStart = start;
                reply.TimestampRawLength = content.Length;
                return true;
            case FunAsrKey.StampSents:
                reply.StampSentsKind = FunAsrValueKind.String;
                reply.StampSentsRawStart = start;
                reply.StampSentsRawLength = content.Length;
                return true;
            case FunAsrKey.Unknown:
                return true;
            default:
                return false;
        }
    }

    private static bool OnLiteral(ref FunAsrReply reply, FunAsrKey key, ReadOnlySpan<byte> rest, out int length)
    {
        bool value;
        if (rest.StartsWith("true"u8))
        {
            (value, length) = (true, 4);
        }
        else if (rest.StartsWith("false"u8))
        {
            (value, length) = (false, 5);
        }
        else if (rest.StartsWith("null"u8))
        {
            length = 4;
            return key == FunAsrKey.Unknown;
        }
        else
        {
            length = 0;
            return false;
        }

        switch (key)
        {
            case FunAsrKey.IsFinal:
                reply.IsFinal = value;
                return true;
            case FunAsrKey.IsEnd:
                reply.IsEnd = value;
                return true;
            case FunAsrKey.Unknown:
                return true;
            default:
                return false;
        }
    }

    private static bool OnInteger(ref FunAsrReply reply, FunAsrKey key, long value)
    {
        switch (key)
        {
            case FunAsrKey.SliceType when value is >= int.MinValue and <= int.MaxValue:
                reply.SliceType = (int)value;
                return true;
            case FunAsrKey.Index:
                reply.Index = value;
                return true;
            case FunAsrKey.StartTime:
                reply.StartTime = value;
                return true;
            case FunAsrKey.EndTime:
                reply.EndTime = value;
                return true;
            case FunAsrKey.Timestamp:
                reply.TimestampKind = FunAsrValueKind.Integer;
                reply.TimestampValue = value;
                reply.TimestampRawStart = 0;
                reply.TimestampRawLength = 0;
                return true;
            case FunAsrKey.Unknown:
                return true;
            default:
                return false;
        }
    }

    /// <summary>A JSON integer of at most 18 digits (no fraction, no exponent, no leading zero).</summary>
    private static bool TryInteger(ReadOnlySpan<byte> rest, out long value, out int length)
    {
        value = 0;
        var i = rest[0] == (byte)'-' ? 1 : 0;
        var first = i;
        while (i < rest.Length && char.IsAsciiDigit((char)rest[i]))
        {
            value = (value * 10) + (rest[i] - '0');
            i++;
        }

        length = i;
        var digits = i - first;
        if (digits is 0 or > 18 || (digits > 1 && rest[first] == (byte)'0')
            || (i < rest.Length && rest[i] is (byte)'.' or (byte)'e' or (byte)'E'))
        {
            return false;
        }

        if (first == 1)
        {
            value = -value;
        }

        return true;
    }
}
