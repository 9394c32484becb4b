using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Gateway.Upstream.WebSockets;

/// <summary>
/// RFC 6455 §5.3 client masking fused with the copy into the send buffer: <c>dst[i] = src[i] ^ key[(phase + i) % 4]</c>.
/// </summary>
/// <remarks>
/// The mask key is the 4 bytes as they appear on the wire, read little-endian into a <see cref="uint"/>
/// (byte 0 of the key is the low byte). <c>phase</c> is the payload offset of <c>src[0]</c> modulo 4, so a payload
/// copied in several pieces keeps the key aligned.
/// PERF: one pass over the data instead of copy-then-mask (ManagedWebSocket); see MaskingBenchmarks.
/// </remarks>
internal static class WebSocketMask
{
    /// <summary>Copies <paramref name="source"/> into <paramref name="destination"/> while masking; picks the widest accelerated vector.</summary>
    public static void CopyMasked(ReadOnlySpan<byte> source, Span<byte> destination, uint mask, int phase)
    {
        if (destination.Length < source.Length)
        {
            ThrowDestinationTooShort();
        }

        var rotated = BitOperations.RotateRight(mask, (phase & 3) * 8);
        ref var src = ref MemoryMarshal.GetReference(source);
        ref var dst = ref MemoryMarshal.GetReference(destination);
        nuint length = (nuint)source.Length;
        nuint i = 0;

        if (Vector512.IsHardwareAccelerated && length >= (nuint)Vector512<byte>.Count)
        {
            var m = Vector512.Create(rotated).AsByte();
            for (; i + (nuint)Vector512<byte>.Count <= length; i += (nuint)Vector512<byte>.Count)
            {
                (Vector512.LoadUnsafe(ref src, i) ^ m).StoreUnsafe(ref dst, i);
            }
        }

        if (Vector256.IsHardwareAccelerated && length - i >= (nuint)Vector256<byte>.Count)
        {
            var m = Vector256.Create(rotated).AsByte();
            for (; i + (nuint)Vector256<byte>.Count <= length; i += (nuint)Vector256<byte>.Count)
            {
                (Vector256.LoadUnsafe(ref src, i) ^ m).StoreUnsafe(ref dst, i);
            }
        }

        if (Vector128.IsHardwareAccelerated && length - i >= (nuint)Vector128<byte>.Count)
        {
            var m = Vector128.Create(rotated).AsByte();
            for (; i + (nuint)Vector128<byte>.Count <= length; i += (nuint)Vector128<byte>.Count)
            {
                (Vector128.LoadUnsafe(ref src, i) ^ m).StoreUnsafe(ref dst, i);
            }
        }

        // Vector widths are multiples of 4, so the key is still aligned with `rotated` here.
        for (; i + 4 <= length; i += 4)
        {
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, i), Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref src, i)) ^ LittleEndian(rotated));
        }

        for (var k = 0; i < length; i++, k++)
        {
            Unsafe.Add(ref dst, i) = (byte)(Unsafe.Add(ref src, i) ^ (byte)(rotated >> (k * 8)));
        }
    }

    /// <summary>The scalar twin: byte by byte, the definition the vector paths must agree with.</summary>
    public static void CopyMaskedScalar(ReadOnlySpan<byte> source, Span<byte> destination, uint mask, int phase)
    {
        if (destination.Length < source.Length)
        {
            ThrowDestinationTooShort();
        }

        Span<byte> key = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(key, mask);
        for (var i = 0; i < source.Length; i++)
        {
            destination[i] = (byte)(source[i] ^ key[(phase + i) & 3]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint LittleEndian(uint value) => BitConverter.IsLittleEndian ? value : BinaryPrimitives.ReverseEndianness(value);

    private static void ThrowDestinationTooShort() =>
        throw new ArgumentException("The destination is shorter than the source.", "destination");
}
