using System.Buffers.Binary;
using System.Text;
using Gateway.Core.Protocols.FunAsr;

namespace Gateway.UnitTests.Protocols.FunAsr;

public sealed class WavHeaderSkipperTests
{
    [Fact]
    public void Skip_CanonicalHeaderInTheFirstChunk_SkipsExactly44Bytes()
    {
        var skipper = Armed();
        var stream = Wav(pcmBytes: 100);

        Assert.Equal(44, skipper.Skip(stream));
        Assert.Equal(0, skipper.Skip(stream)); // later chunks are audio
    }

    [Fact]
    public void Skip_HeaderWithListChunkSplitAcrossChunks_SkipsUpToTheSamples()
    {
        var stream = Wav(pcmBytes: 64, extraChunk: 7);
        var headerLength = stream.Length - 64;
        for (var split = 12; split < headerLength; split += 5)
        {
            var skipper = Armed();
            var first = skipper.Skip(stream.AsSpan(0, split));
            var second = skipper.Skip(stream.AsSpan(split));

            Assert.Equal(split, first);
            Assert.Equal(headerLength - split, second);
        }
    }

    [Fact]
    public void Skip_RawPcm_SkipsNothing()
    {
        var skipper = Armed();
        var pcm = new byte[960];
        pcm[0] = (byte)'R';

        Assert.Equal(0, skipper.Skip(pcm));
        Assert.Equal(0, skipper.Skip(Wav(10))); // only the first chunk of an utterance is checked
    }

    [Fact]
    public void Skip_NotArmed_SkipsNothing()
    {
        Assert.Equal(0, new WavHeaderSkipper().Skip(Wav(10)));
    }

    private static WavHeaderSkipper Armed()
    {
        var skipper = new WavHeaderSkipper();
        skipper.Arm();
        return skipper;
    }

    /// <summary>A RIFF/WAVE file: fmt chunk, an optional odd-sized LIST chunk (padded), data chunk.</summary>
    private static byte[] Wav(int pcmBytes, int extraChunk = -1)
    {
        using var stream = new MemoryStream();
        void Chunk(string id, byte[] body)
        {
            stream.Write(Encoding.ASCII.GetBytes(id));
            var size = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)body.Length);
            stream.Write(size);
            stream.Write(body);
            if (body.Length % 2 == 1 && id != "data")
            {
                stream.WriteByte(0);
            }
        }

        stream.Write("RIFF\0\0\0\0WAVE"u8);
        Chunk("fmt ", new byte[16]);
        if (extraChunk >= 0)
        {
            Chunk("LIST", new byte[extraChunk]);
        }

        Chunk("data", new byte[pcmBytes]);
        return stream.ToArray();
    }
}
