using System.Text.Json;

namespace Gateway.Upstream.Replies;

/// <summary>
/// The general tier of reply parsing, on <see cref="Utf8JsonReader"/>: any spacing, escapes, nested values and
/// unknown keys. It also defines validity: malformed JSON or a known key of the wrong type makes the reply invalid
/// (the pool then treats the connection as poisoned).
/// </summary>
internal static class FunAsrReplyReader
{
    public static bool TryRead(ReadOnlySpan<byte> json, Span<byte> output, out FunAsrReply reply)
    {
        reply = default;
        if (output.Length < json.Length)
        {
            return false;
        }

        try
        {
            return Read(json, output, ref reply);
        }
        catch (JsonException)
        {
            reply = default;
            return false;
        }
        catch (InvalidOperationException)
        {
            // Invalid UTF-8 inside a string surfaces here when it is copied out.
            reply = default;
            return false;
        }
    }

    private static bool Read(ReadOnlySpan<byte> json, Span<byte> output, ref FunAsrReply reply)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        var written = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                // Anything after the object makes Read throw; a clean end returns false.
                return !reader.Read();
            }

            var key = KeyOf(ref reader);
            reader.Read();
            if (!OnValue(ref reader, ref reply, key, output, ref written))
            {
                return false;
            }
        }

        return false;
    }

    private static readonly (byte[] Name, FunAsrKey Key)[] EscapedKeys =
    [
        ("mode"u8.ToArray(), FunAsrKey.Mode), ("text"u8.ToArray(), FunAsrKey.Text), ("index"u8.ToArray(), FunAsrKey.Index),
        ("is_end"u8.ToArray(), FunAsrKey.IsEnd), ("is_final"u8.ToArray(), FunAsrKey.IsFinal), ("wav_name"u8.ToArray(), FunAsrKey.WavName),
        ("end_time"u8.ToArray(), FunAsrKey.EndTime), ("timestamp"u8.ToArray(), FunAsrKey.Timestamp), ("slice_type"u8.ToArray(), FunAsrKey.SliceType),
        ("start_time"u8.ToArray(), FunAsrKey.StartTime), ("stamp_sents"u8.ToArray(), FunAsrKey.StampSents),
    ];

    private static FunAsrKey KeyOf(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            return FunAsrKeys.Match(reader.ValueSpan);
        }

        foreach (var (name, key) in EscapedKeys)
        {
            if (reader.ValueTextEquals(name))
            {
                return key;
            }
        }

        return FunAsrKey.Unknown;
    }

    private static FunAsrReplyMode ModeOf(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return FunAsrReply.ParseMode(reader.ValueSpan);
        }

        return reader.ValueTextEquals("2pass-online"u8) || reader.ValueTextEquals("online"u8) ? FunAsrReplyMode.Online
            : reader.ValueTextEquals("2pass-offline"u8) || reader.ValueTextEquals("offline"u8) ? FunAsrReplyMode.Offline
            : reader.ValueTextEquals("2pass"u8) ? FunAsrReplyMode.TwoPass
            : FunAsrReplyMode.Other;
    }

    private static bool OnValue(ref Utf8JsonReader reader, ref FunAsrReply reply, FunAsrKey key, Span<byte> output, ref int written)
    {
        var token = reader.TokenType;
        switch (key)
        {
            case FunAsrKey.Unknown:
                reader.Skip();
                return true;
            case FunAsrKey.Mode when token == JsonTokenType.String:
                reply.Mode = ModeOf(ref reader);
                return true;
            case FunAsrKey.Text when token == JsonTokenType.String:
                reply.HasText = true;
                reply.TextStart = written;
                reply.TextLength = reader.CopyString(output[written..]);
                written += reply.TextLength;
                return true;
            case FunAsrKey.WavName when token == JsonTokenType.String:
                reply.HasWavName = true;
                reply.WavNameStart = written;
                reply.WavNameLength = reader.CopyString(output[written..]);
                written += reply.WavNameLength;
                return true;
            case FunAsrKey.IsFinal when token is JsonTokenType.True or JsonTokenType.False:
                reply.IsFinal = token == JsonTokenType.True;
                return true;
            case FunAsrKey.IsEnd when token is JsonTokenType.True or JsonTokenType.False:
                reply.IsEnd = token == JsonTokenType.True;
                return true;
            case FunAsrKey.SliceType when token == JsonTokenType.Number && reader.TryGetInt32(out var slice):
                reply.SliceType = slice;
                return true;
            case FunAsrKey.Index when token == JsonTokenType.Number && reader.TryGetInt64(out var index):
                reply.Index = index;
                return true;
            case FunAsrKey.StartTime when token == JsonTokenType.Number && reader.TryGetInt64(out var start):
                reply.StartTime = start;
                return true;
            case FunAsrKey.EndTime when token == JsonTokenType.Number && reader.TryGetInt64(out var end):
                reply.EndTime = end;
                return true;
            case FunAsrKey.Timestamp:
                return OnVariant(ref reader, key, ref reply.TimestampKind, ref reply.TimestampValue, ref reply.TimestampRawStart, ref reply.TimestampRawLength);
            case FunAsrKey.StampSents:
                long ignored = 0;
                return OnVariant(ref reader, key, ref reply.StampSentsKind, ref ignored, ref reply.StampSentsRawStart, ref reply.StampSentsRawLength);
            default:
                return false;
        }
    }

    /// <summary>An int (timestamp only), a string or an array; strings and arrays keep their raw span.</summary>
    private static bool OnVariant(ref Utf8JsonReader reader, FunAsrKey key, ref FunAsrValueKind kind, ref long value, ref int rawStart, ref int rawLength)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number when key == FunAsrKey.Timestamp && reader.TryGetInt64(out var number):
                (kind, value, rawStart, rawLength) = (FunAsrValueKind.Integer, number, 0, 0);
                return true;
            case JsonTokenType.String:
                (kind, value, rawStart, rawLength) = (FunAsrValueKind.String, 0, (int)reader.TokenStartIndex + 1, reader.ValueSpan.Length);
                return true;
            case JsonTokenType.StartArray:
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                (kind, value, rawStart, rawLength) = (FunAsrValueKind.Array, 0, start, (int)reader.BytesConsumed - start);
                return true;
            default:
                return false;
        }
    }
}
