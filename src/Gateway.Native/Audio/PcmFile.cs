using System.Buffers.Binary;
using Gateway.Native.Errors;

namespace Gateway.Native.Audio;

/// <summary>
/// <c>funasr_pcm_file</c>'s input: raw 16 kHz mono PCM16LE, or a RIFF/WAVE file of that format whose header is skipped.
/// </summary>
/// <remarks>
/// RIFF layout: "RIFF" size "WAVE", then chunks (4-byte id, 4-byte LE size, body padded to even); "fmt " carries
/// format tag, channels, rate and bits; "data" is the samples. A data size of 0 or past the end (streamed
/// writers) means "to the end of the file".
/// </remarks>
internal static class PcmFile
{
    public static FunAsrStatus Read(string path, out ReadOnlyMemory<byte> pcm)
    {
        pcm = default;
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return FunAsrStatus.FileError;
        }

        if (!IsWave(bytes))
        {
            pcm = bytes;
            return FunAsrStatus.Ok;
        }

        var formatChecked = false;
        for (var at = 12; at + 8 <= bytes.Length;)
        {
            var id = bytes.AsSpan(at, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 4));
            var body = at + 8;
            if (id.SequenceEqual("fmt "u8))
            {
                if (size < 16 || body + 16 > bytes.Length || !IsPcm16Mono16k(bytes.AsSpan(body, 16)))
                {
                    return FunAsrStatus.BadAudio;
                }

                formatChecked = true;
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (!formatChecked)
                {
                    return FunAsrStatus.BadAudio;
                }

                var length = size == 0 || size > (uint)(bytes.Length - body) ? bytes.Length - body : (int)size;
                pcm = bytes.AsMemory(body, length);
                return FunAsrStatus.Ok;
            }

            at = (int)Math.Min(bytes.Length, body + (long)size + (size & 1));
        }

        return FunAsrStatus.BadAudio;
    }

    private static bool IsWave(ReadOnlySpan<byte> b) => b.Length >= 12 && b[..4].SequenceEqual("RIFF"u8) && b.Slice(8, 4).SequenceEqual("WAVE"u8);

    private static bool IsPcm16Mono16k(ReadOnlySpan<byte> fmt)
    {
        var tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
        var channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
        var rate = BinaryPrimitives.ReadUInt32LittleEndian(fmt[4..]);
        var bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);
        // 1 = PCM, 0xFFFE = WAVE_FORMAT_EXTENSIBLE (its sub-format is PCM for 16-bit integer writers).
        return tag is 1 or 0xFFFE && channels == 1 && rate == 16_000 && bits == 16;
    }
}
