using NAudio.Codecs;

namespace Gateway.Core.Audio;

/// <summary>
/// G.711 µ-law and A-law (ITU-T G.711) as 256-entry tables of floats in [-1, 1], built once from NAudio's
/// reference decoders, so decoding a telephony byte is one indexed load.
/// </summary>
internal static class G711
{
    private static readonly float[] MulawTable = Build(MuLawDecoder.MuLawToLinearSample);
    private static readonly float[] AlawTable = Build(ALawDecoder.ALawToLinearSample);

    public static ReadOnlySpan<float> Table(AudioEncoding encoding) => encoding switch
    {
        AudioEncoding.Mulaw => MulawTable,
        AudioEncoding.Alaw => AlawTable,
        _ => throw new ArgumentOutOfRangeException(nameof(encoding)),
    };

    private static float[] Build(Func<byte, short> decode)
    {
        var table = new float[256];
        for (var i = 0; i < table.Length; i++)
        {
            table[i] = decode((byte)i) / 32768f;
        }

        return table;
    }
}
