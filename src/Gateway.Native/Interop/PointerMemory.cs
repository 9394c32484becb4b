using System.Buffers;

namespace Gateway.Native.Interop;

/// <summary>
/// The caller's PCM buffer as <see cref="Memory{T}"/> without a copy. Valid only while the export that received
/// the pointer runs: funasr_pcm is synchronous, so the caller keeps the buffer alive for exactly that long.
/// </summary>
internal sealed unsafe class PointerMemory(byte* pointer, int length) : MemoryManager<byte>
{
    public override Span<byte> GetSpan() => new(pointer, length);

    public override MemoryHandle Pin(int elementIndex = 0) => new(pointer + elementIndex);

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
    }
}
