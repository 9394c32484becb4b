using System.Globalization;
using System.Text;

namespace Gateway.Upstream.Protocol;

/// <summary>
/// The client → server text messages (funasr.md §3.1, §3.3), strictly typed. Everything but <c>wav_name</c> is fixed
/// per pooled connection key, so it is rendered once and the per-utterance write is two copies.
/// </summary>
internal sealed class FunAsrConfigMessages
{
    private readonly byte[] _prefix;

    public FunAsrConfigMessages(FunAsrFlavour flavour, string mode, ChunkSize chunkSize, int chunkInterval, bool itn, HotwordSet? hotwords)
    {
        Flavour = flavour;
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{{\"mode\":\"{mode}\",\"chunk_size\":[{chunkSize.Left},{chunkSize.Middle},{chunkSize.Right}],")
            .Append(CultureInfo.InvariantCulture, $"\"chunk_interval\":{chunkInterval},\"encoder_chunk_look_back\":4,\"decoder_chunk_look_back\":0,")
            .Append("\"audio_fs\":16000,\"wav_format\":\"pcm\",")
            .Append(itn ? "\"itn\":true," : "\"itn\":false,");
        var prefix = Encoding.UTF8.GetBytes(text.ToString());
        if (hotwords is not null)
        {
            prefix = [.. prefix, .. "\"hotwords\":"u8, .. hotwords.ConfigValue.Span, (byte)','];
        }

        _prefix = [.. prefix, .. "\"is_speaking\":true,\"wav_name\":\""u8];
    }

    public FunAsrFlavour Flavour { get; }

    /// <summary>Upper bound of <see cref="WriteStart"/>'s output for a wav_name of <paramref name="wavNameLength"/> bytes.</summary>
    public int MaxStartLength(int wavNameLength) => _prefix.Length + wavNameLength + 2;

    /// <summary>The utterance-start config (<c>is_speaking:true</c>); <paramref name="wavName"/> must need no JSON escaping.</summary>
    public int WriteStart(Span<byte> destination, ReadOnlySpan<byte> wavName)
    {
        _prefix.CopyTo(destination);
        var n = _prefix.Length;
        wavName.CopyTo(destination[n..]);
        n += wavName.Length;
        destination[n++] = (byte)'"';
        destination[n++] = (byte)'}';
        return n;
    }

    /// <summary>End of input. The Python server acknowledges with <c>is_end</c> only when asked; the C++ servers ignore the key.</summary>
    public ReadOnlyMemory<byte> EndOfSpeech => Flavour == FunAsrFlavour.Python ? EndWithAck : End;

    private static readonly ReadOnlyMemory<byte> End = "{\"is_speaking\":false}"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> EndWithAck = "{\"is_speaking\":false,\"is_end\":true}"u8.ToArray();
}
