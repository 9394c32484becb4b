namespace Gateway.Upstream.Replies;

/// <summary>
/// One parsed server → client message (funasr.md §4). Strings are unescaped into the caller's output buffer
/// (<see cref="TextStart"/>/<see cref="WavNameStart"/> index it); raw values index the source JSON.
/// </summary>
internal record struct FunAsrReply
{
    public FunAsrReplyMode Mode;
    public bool IsFinal;
    public bool IsEnd;
    public bool HasText;
    public bool HasWavName;
    public int TextStart;
    public int TextLength;
    public int WavNameStart;
    public int WavNameLength;
    public int? SliceType;
    public long? Index;
    public long? StartTime;
    public long? EndTime;
    public FunAsrValueKind TimestampKind;
    public long TimestampValue;

    /// <summary>Raw JSON of a string (between the quotes, still escaped) or array timestamp, in the source.</summary>
    public int TimestampRawStart;
    public int TimestampRawLength;
    public FunAsrValueKind StampSentsKind;
    public int StampSentsRawStart;
    public int StampSentsRawLength;

    public readonly ReadOnlySpan<byte> Text(ReadOnlySpan<byte> output) => output.Slice(TextStart, TextLength);

    public readonly ReadOnlySpan<byte> WavName(ReadOnlySpan<byte> output) => output.Slice(WavNameStart, WavNameLength);

    public readonly ReadOnlySpan<byte> TimestampRaw(ReadOnlySpan<byte> source) => source.Slice(TimestampRawStart, TimestampRawLength);

    public readonly ReadOnlySpan<byte> StampSentsRaw(ReadOnlySpan<byte> source) => source.Slice(StampSentsRawStart, StampSentsRawLength);

    public static FunAsrReplyMode ParseMode(ReadOnlySpan<byte> value) => value switch
    {
        _ when value.SequenceEqual("2pass-online"u8) || value.SequenceEqual("online"u8) => FunAsrReplyMode.Online,
        _ when value.SequenceEqual("2pass-offline"u8) || value.SequenceEqual("offline"u8) => FunAsrReplyMode.Offline,
        _ when value.SequenceEqual("2pass"u8) => FunAsrReplyMode.TwoPass,
        _ => FunAsrReplyMode.Other,
    };
}
