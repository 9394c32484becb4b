using System.Runtime.InteropServices;

namespace Gateway.Core.Audio;

/// <summary>Sample-format conversions used on the per-frame path. Nothing here allocates.</summary>
public static class PcmConvert
{
    private const float Int16Scale = 1f / 32768f;

    /// <summary>PCM16 to float in [-1, 1).</summary>
    public static void ToFloat(ReadOnlySpan<short> source, Span<float> destination)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException("Destination is shorter than source.", nameof(destination));
        }

        for (var i = 0; i < source.Length; i++)
        {
            destination[i] = source[i] * Int16Scale;
        }
    }

    /// <summary>Float to PCM16 with rounding and saturation.</summary>
    public static void ToInt16(ReadOnlySpan<float> source, Span<short> destination)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException("Destination is shorter than source.", nameof(destination));
        }

        for (var i = 0; i < source.Length; i++)
        {
            var v = MathF.Round(source[i] * 32768f);
            destination[i] = v >= short.MaxValue ? short.MaxValue : v <= short.MinValue ? short.MinValue : (short)v;
        }
    }

    /// <summary>Little-endian PCM16 bytes viewed as samples (the platform is little-endian).</summary>
    public static ReadOnlySpan<short> AsInt16(ReadOnlySpan<byte> bytes) => MemoryMarshal.Cast<byte, short>(bytes);

    /// <summary>Little-endian float32 bytes viewed as samples.</summary>
    public static ReadOnlySpan<float> AsFloat(ReadOnlySpan<byte> bytes) => MemoryMarshal.Cast<byte, float>(bytes);

    static PcmConvert()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The gateway assumes a little-endian platform for PCM.");
        }
    }
}
