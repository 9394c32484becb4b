using System.Buffers;

namespace Gateway.Core.Protocols;

/// <summary>
/// The text messages one server event renders to: none (an event the protocol has no message for), one, or
/// several (a FunASR final holding several sentences is one message per sentence). A protocol writes a message,
/// calls <see cref="EndMessage"/>, writes the next; a trailing message needs no explicit end.
/// One instance per send loop, cleared and reused for every event.
/// </summary>
public sealed class MessageBatch : IBufferWriter<byte>
{
    private readonly ArrayBufferWriter<byte> _buffer;
    private readonly List<int> _ends = [];

    public MessageBatch(int initialCapacity = 512) => _buffer = new ArrayBufferWriter<byte>(initialCapacity);

    /// <summary>Messages written so far, counting a trailing one not yet ended.</summary>
    public int Count => _ends.Count + (_buffer.WrittenCount > LastEnd ? 1 : 0);

    private int LastEnd => _ends.Count == 0 ? 0 : _ends[^1];

    /// <summary>The UTF-8 bytes of message <paramref name="index"/>.</summary>
    public ReadOnlyMemory<byte> this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            var start = index == 0 ? 0 : _ends[index - 1];
            var end = index < _ends.Count ? _ends[index] : _buffer.WrittenCount;
            return _buffer.WrittenMemory[start..end];
        }
    }

    /// <summary>Ends the message written since the previous end; does nothing when nothing was written.</summary>
    public void EndMessage()
    {
        if (_buffer.WrittenCount > LastEnd)
        {
            _ends.Add(_buffer.WrittenCount);
        }
    }

    public void Clear()
    {
        _buffer.ResetWrittenCount();
        _ends.Clear();
    }

    public void Advance(int count) => _buffer.Advance(count);

    public Memory<byte> GetMemory(int sizeHint = 0) => _buffer.GetMemory(sizeHint);

    public Span<byte> GetSpan(int sizeHint = 0) => _buffer.GetSpan(sizeHint);
}
