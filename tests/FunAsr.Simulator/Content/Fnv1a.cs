namespace FunAsr.Simulator.Content;

/// <summary>Incremental 32-bit FNV-1a, folded to 16 bits for block tokens.</summary>
internal struct Fnv1a
{
    private const uint OffsetBasis = 2166136261;
    private const uint Prime = 16777619;

    private uint _hash;
    private bool _started;

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (!_started)
        {
            _hash = OffsetBasis;
            _started = true;
        }

        foreach (var b in bytes)
        {
            _hash = (_hash ^ b) * Prime;
        }
    }

    public readonly string Token()
    {
        var h = _started ? _hash : OffsetBasis;
        var folded = (h >> 16) ^ (h & 0xFFFF);
        return "blk" + folded.ToString("x4");
    }
}
