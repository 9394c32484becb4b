using System.Buffers.Binary;
using Gateway.Core.Audio;

namespace Gateway.Core.Protocols.Deepgram;

/// <summary>
/// A WAV header for raw audio of a declared <c>encoding</c>/<c>sample_rate</c>/<c>channels</c>, so a prerecorded
/// raw body goes through the same ffmpeg decoder as containers. The sizes say "unknown" (0xFFFFFFFF): ffmpeg then
/// reads the data chunk to the end of the input.
/// </summary>
internal static class RawAudioWav
{
    public const int HeaderBytes = 44;

    public static byte[] Header(AudioEncoding encoding, int sampleRate, int channels)
    {
        var (format, bits) = encoding switch
        {
            AudioEncoding.PcmS16Le => (1, 16),
            AudioEncoding.S32Le => (1, 32),
            AudioEncoding.F32Le => (3, 32),
            AudioEncoding.Mulaw => (7, 8),
            AudioEncoding.Alaw => (6, 8),
            AudioEncoding.U8 => (1, 8),
            _ => throw new ArgumentOutOfRangeException(nameof(encoding)),
        };
        var header = new byte[HeaderBytes];
        var block = channels * bits / 8;
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), uint.MaxValue);
        "WAVEfmt "u8.CopyTo(header.AsSpan(8));
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(16), 16);
        BinaryPrimitives.WriteInt16LittleEndian(header.AsSpan(20), (short)format);
        BinaryPrimitives.WriteInt16LittleEndian(header.AsSpan(22), (short)channels);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(24), sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(28), sampleRate * block);
        BinaryPrimitives.WriteInt16LittleEndian(header.AsSpan(32), (short)block);
        BinaryPrimitives.WriteInt16LittleEndian(header.AsSpan(34), (short)bits);
        "data"u8.CopyTo(header.AsSpan(36));
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(40), uint.MaxValue);
        return header;
    }
}
