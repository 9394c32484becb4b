namespace Gateway.Upstream.Replies;

/// <summary>Maps a key name to <see cref="FunAsrKey"/>.</summary>
internal static class FunAsrKeys
{
    public static FunAsrKey Match(ReadOnlySpan<byte> name) => name.Length switch
    {
        4 when name.SequenceEqual("mode"u8) => FunAsrKey.Mode,
        4 when name.SequenceEqual("text"u8) => FunAsrKey.Text,
        5 when name.SequenceEqual("index"u8) => FunAsrKey.Index,
        6 when name.SequenceEqual("is_end"u8) => FunAsrKey.IsEnd,
        8 when name.SequenceEqual("is_final"u8) => FunAsrKey.IsFinal,
        8 when name.SequenceEqual("wav_name"u8) => FunAsrKey.WavName,
        8 when name.SequenceEqual("end_time"u8) => FunAsrKey.EndTime,
        9 when name.SequenceEqual("timestamp"u8) => FunAsrKey.Timestamp,
        10 when name.SequenceEqual("slice_type"u8) => FunAsrKey.SliceType,
        10 when name.SequenceEqual("start_time"u8) => FunAsrKey.StartTime,
        11 when name.SequenceEqual("stamp_sents"u8) => FunAsrKey.StampSents,
        _ => FunAsrKey.Unknown,
    };

    /// <summary>
    /// Matches a known key at the start of <paramref name="rest"/> (the bytes after the opening quote) together with
    /// its closing quote and colon; <paramref name="consumed"/> is the length of that literal.
    /// </summary>
    public static FunAsrKey MatchPrefix(ReadOnlySpan<byte> rest, out int consumed)
    {
        consumed = 0;
        if (rest.IsEmpty)
        {
            return FunAsrKey.Unknown;
        }

        return rest[0] switch
        {
            (byte)'m' => Is(rest, "mode\":"u8, FunAsrKey.Mode, out consumed),
            (byte)'t' when rest.Length > 1 && rest[1] == (byte)'e' => Is(rest, "text\":"u8, FunAsrKey.Text, out consumed),
            (byte)'t' => Is(rest, "timestamp\":"u8, FunAsrKey.Timestamp, out consumed),
            (byte)'w' => Is(rest, "wav_name\":"u8, FunAsrKey.WavName, out consumed),
            (byte)'e' => Is(rest, "end_time\":"u8, FunAsrKey.EndTime, out consumed),
            (byte)'i' when rest.Length > 3 && rest[1] == (byte)'s' && rest[3] == (byte)'f' => Is(rest, "is_final\":"u8, FunAsrKey.IsFinal, out consumed),
            (byte)'i' when rest.Length > 3 && rest[1] == (byte)'s' && rest[3] == (byte)'e' => Is(rest, "is_end\":"u8, FunAsrKey.IsEnd, out consumed),
            (byte)'i' => Is(rest, "index\":"u8, FunAsrKey.Index, out consumed),
            (byte)'s' when rest.Length > 2 && rest[2] == (byte)'i' => Is(rest, "slice_type\":"u8, FunAsrKey.SliceType, out consumed),
            (byte)'s' when rest.Length > 3 && rest[3] == (byte)'r' => Is(rest, "start_time\":"u8, FunAsrKey.StartTime, out consumed),
            (byte)'s' => Is(rest, "stamp_sents\":"u8, FunAsrKey.StampSents, out consumed),
            _ => FunAsrKey.Unknown,
        };
    }

    private static FunAsrKey Is(ReadOnlySpan<byte> rest, ReadOnlySpan<byte> literal, FunAsrKey key, out int consumed)
    {
        var match = rest.StartsWith(literal);
        consumed = match ? literal.Length : 0;
        return match ? key : FunAsrKey.Unknown;
    }
}
