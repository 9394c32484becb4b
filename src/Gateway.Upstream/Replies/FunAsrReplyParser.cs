namespace Gateway.Upstream.Replies;

/// <summary>Tiered reply parsing: the key scan for the common compact shape, the reader for everything else.</summary>
internal static class FunAsrReplyParser
{
    /// <summary>False when the message is not a valid FunASR reply (malformed JSON or a known key of the wrong type).</summary>
    public static bool TryParse(ReadOnlySpan<byte> json, Span<byte> output, out FunAsrReply reply) =>
        FunAsrReplyScanner.TryScan(json, output, out reply) || FunAsrReplyReader.TryRead(json, output, out reply);
}
