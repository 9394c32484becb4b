using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace FunAsr.Simulator.Content;

/// <summary>
/// The simulator's "speech recogniser" for one utterance: decodes <see cref="Watermark"/> frames from the
/// LSBs of the received PCM16 samples, or, when the utterance carries none, emits one block token per
/// full 16,000-sample block. Deterministic, so tests can predict the exact text.
/// </summary>
/// <remarks>Single-threaded: owned by one connection's processing loop. Reset = a new instance per utterance.</remarks>
internal sealed class ContentRecognizer
{
    /// <summary>300 ms at 16 kHz without a frame closes the sentence (the simulator's VAD endpoint).</summary>
    public const int SentenceGapSamples = 4_800;

    private static readonly byte[] SyncBits = BitsOf(Watermark.SyncWord, 16);

    // LSB of every sample not yet scanned past; _bitsBase is the sample index of _bits[0].
    private byte[] _bits = new byte[16_384];
    private long _bitsBase;
    private long _sampleCount;
    private long _scan;

    private bool _anyFrame;
    private int _lastSequence = -1;
    private long _lastFrameEnd;
    private List<RecognizedWord> _sentence = [];

    private Fnv1a _block;
    private int _blockBytes;
    private readonly Queue<RecognizedWord> _pendingBlocks = new();
    private readonly List<RecognizedWord> _blockTokens = [];

    /// <summary>Frames whose sequence number went backwards: audio duplicated or reordered.</summary>
    public int SequenceRegressions { get; private set; }

    /// <summary>True once any valid frame was decoded: the utterance is transcribed as words, not block tokens.</summary>
    public bool HasWatermark => _anyFrame;

    public long SampleCount => _sampleCount;

    /// <summary>Feeds PCM16LE bytes (even count) and appends what they completed to <paramref name="events"/>.</summary>
    public void Append(ReadOnlySpan<byte> pcm, List<ContentEvent> events)
    {
        AppendBlocks(pcm);
        var samples = pcm.Length / 2;
        EnsureCapacity(samples);
        var at = (int)(_sampleCount - _bitsBase);
        for (var i = 0; i < samples; i++)
        {
            _bits[at + i] = (byte)(BinaryPrimitives.ReadInt16LittleEndian(pcm.Slice(i * 2, 2)) & 1);
        }

        _sampleCount += samples;
        Scan(final: false, events);
        if (_sentence.Count > 0 && _scan - _lastFrameEnd >= SentenceGapSamples)
        {
            CloseSentence(events);
        }

        EmitBlocks(events, all: false);
    }

    /// <summary>End of utterance: flushes what is left; the open sentence (words or block tokens) is closed.</summary>
    public void Finish(List<ContentEvent> events)
    {
        Scan(final: true, events);
        if (_anyFrame)
        {
            CloseSentence(events);
            return;
        }

        EmitBlocks(events, all: true);
        if (_blockTokens.Count > 0)
        {
            events.Add(ContentEvent.SentenceEnd(new Sentence([.. _blockTokens])));
            _blockTokens.Clear();
        }
    }

    private void Scan(bool final, List<ContentEvent> events)
    {
        Span<byte> text = stackalloc byte[Watermark.MaxWordBytes];
        while (_scan + 16 <= _sampleCount)
        {
            var p = _scan;
            if (!MatchesSync(p))
            {
                _scan++;
                continue;
            }

            if (p + Watermark.HeaderBits > _sampleCount)
            {
                if (final)
                {
                    _scan++;
                    continue;
                }

                break;
            }

            var length = Read(p + 32, 8);
            if (length is < 1 or > Watermark.MaxWordBytes)
            {
                _scan++;
                continue;
            }

            var total = Watermark.HeaderBits + (8 * length) + 8;
            if (p + total > _sampleCount)
            {
                if (final)
                {
                    _scan++;
                    continue;
                }

                break;
            }

            var word = text[..length];
            byte xor = 0;
            for (var i = 0; i < length; i++)
            {
                word[i] = (byte)Read(p + Watermark.HeaderBits + (8 * i), 8);
                xor ^= word[i];
            }

            if (xor != Read(p + Watermark.HeaderBits + (8 * length), 8) || !Utf8.IsValid(word) || word.IndexOfAnyInRange((byte)0, (byte)0x20) >= 0)
            {
                _scan++;
                continue;
            }

            OnFrame(Read(p + 16, 16), Encoding.UTF8.GetString(word), p, p + total, events);
            _scan = p + total;
        }

        Compact();
    }

    private void OnFrame(int sequence, string text, long start, long end, List<ContentEvent> events)
    {
        _anyFrame = true;
        _pendingBlocks.Clear();
        _blockTokens.Clear();
        if (_sentence.Count > 0 && start - _lastFrameEnd >= SentenceGapSamples)
        {
            CloseSentence(events);
        }

        if (sequence > _lastSequence)
        {
            var word = new RecognizedWord(text, start, end);
            _sentence.Add(word);
            events.Add(ContentEvent.NewWord(word));
            _lastSequence = sequence;
        }
        else if (sequence == _lastSequence)
        {
            if (_sentence.Count > 0)
            {
                _sentence[^1].EndSample = end;
            }
        }
        else
        {
            SequenceRegressions++;
        }

        _lastFrameEnd = end;
    }

    private void CloseSentence(List<ContentEvent> events)
    {
        if (_sentence.Count == 0)
        {
            return;
        }

        events.Add(ContentEvent.SentenceEnd(new Sentence(_sentence)));
        _sentence = [];
    }

    private void AppendBlocks(ReadOnlySpan<byte> pcm)
    {
        if (_anyFrame)
        {
            return;
        }

        while (!pcm.IsEmpty)
        {
            var take = Math.Min(pcm.Length, Watermark.BlockBytes - _blockBytes);
            _block.Append(pcm[..take]);
            _blockBytes += take;
            pcm = pcm[take..];
            if (_blockBytes == Watermark.BlockBytes)
            {
                var index = _blockTokens.Count + _pendingBlocks.Count;
                _pendingBlocks.Enqueue(new RecognizedWord(_block.Token(), (long)index * Watermark.BlockSamples, (long)(index + 1) * Watermark.BlockSamples));
                _block = default;
                _blockBytes = 0;
            }
        }
    }

    // A block token is only released once the scanner has passed the block's end without finding a frame,
    // so an utterance that turns out to carry a watermark never mixes tokens into its words.
    private void EmitBlocks(List<ContentEvent> events, bool all)
    {
        while (!_anyFrame && _pendingBlocks.Count > 0 && (all || _pendingBlocks.Peek().EndSample <= _scan))
        {
            var token = _pendingBlocks.Dequeue();
            _blockTokens.Add(token);
            events.Add(ContentEvent.NewWord(token));
        }
    }

    private bool MatchesSync(long p)
    {
        var at = (int)(p - _bitsBase);
        for (var i = 0; i < 16; i++)
        {
            if (_bits[at + i] != SyncBits[i])
            {
                return false;
            }
        }

        return true;
    }

    private int Read(long p, int count)
    {
        var at = (int)(p - _bitsBase);
        var value = 0;
        for (var i = 0; i < count; i++)
        {
            value = (value << 1) | _bits[at + i];
        }

        return value;
    }

    private void EnsureCapacity(int extra)
    {
        var needed = (int)(_sampleCount - _bitsBase) + extra;
        if (needed > _bits.Length)
        {
            Array.Resize(ref _bits, Math.Max(needed, _bits.Length * 2));
        }
    }

    // Bits before the scan position are never read again; keep the buffer bounded on long utterances.
    private void Compact()
    {
        var drop = (int)(_scan - _bitsBase);
        if (drop < 65_536)
        {
            return;
        }

        var keep = (int)(_sampleCount - _scan);
        Array.Copy(_bits, drop, _bits, 0, keep);
        _bitsBase = _scan;
    }

    private static byte[] BitsOf(int value, int count)
    {
        var bits = new byte[count];
        for (var i = 0; i < count; i++)
        {
            bits[i] = (byte)((value >> (count - 1 - i)) & 1);
        }

        return bits;
    }
}
