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
}
