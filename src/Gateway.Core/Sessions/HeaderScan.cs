namespace Gateway.Core.Sessions;

/// <summary>What <see cref="ClientFrameHeaderParser.Follow"/> found in one span of client bytes.</summary>
/// <param name="Deliverable">How many bytes from the start of the span may go up.</param>
/// <param name="Declared">The payload length declared by the header over the limit; -1 when there was none.</param>
/// <param name="AfterLength">Where, in the span, the bytes after that header's length field begin.</param>
/// <param name="MaskBytes">How many of those bytes are that header's mask (4 for a masked frame, as a client's always is).</param>
internal readonly record struct HeaderScan(int Deliverable, long Declared = -1, int AfterLength = 0, int MaskBytes = 0)
{
    /// <summary>True when a header declared more than the limit.</summary>
    public bool Oversized => Declared >= 0;
}
