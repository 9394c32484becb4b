namespace Gateway.Upstream.Replies;

/// <summary>The reply keys both parsers know.</summary>
internal enum FunAsrKey : byte
{
    Unknown,
    Mode,
    Text,
    IsFinal,
    IsEnd,
    WavName,
    Timestamp,
    StampSents,
    SliceType,
    Index,
    StartTime,
    EndTime,
}
