namespace Gateway.Upstream.Replies;

/// <summary>The JSON shape of a reply field whose type varies between servers (<c>timestamp</c>, <c>stamp_sents</c>).</summary>
internal enum FunAsrValueKind : byte
{
    Absent,
    Integer,
    String,
    Array,
}
