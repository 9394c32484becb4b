using System.Diagnostics;
using System.Numerics;

namespace Gateway.Core.Audio;

/// <summary>
/// A session's bounded buffer of 16 kHz mono PCM16 audio, addressed by absolute sample position
/// (position 0 is the first accepted sample of the stream).
/// </summary>
/// <remarks>
/// Concurrency: single producer (the session's receive loop calls <see cref="Write"/>); readers
/// (the VAD tick, the dispatcher) copy by absolute position anywhere in
/// [<see cref="ReleasedPosition"/>, <see cref="WritePosition"/>); the session's pipeline advances
/// <see cref="Release"/> (monotonic, from any thread) once nobody needs older audio. The producer never overwrites audio that
/// has not been released: when the ring is full the excess is dropped and counted in
/// <see cref="OverflowSamples"/>, so overflow is visible, never silent. Positions count accepted
/// samples only.
/// The buffer is allocated once, at construction; nothing is allocated afterwards.
/// </remarks>
public sealed class AudioRing
{
    private readonly short[] _buffer;
    private readonly int _mask;
    private long _written;
    private long _released;
    private long _overflow;

    /// <param name="capacitySamples">Minimum capacity; rounded up to a power of two so that wrapping is a mask.</param>
    public AudioRing(int capacitySamples)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacitySamples, 1);
        var size = (int)BitOperations.RoundUpToPowerOf2((uint)capacitySamples);
        _buffer = new short[size];
        _mask = size - 1;
    }

    /// <summary>Number of samples the ring can hold.</summary>
    public int Capacity => _buffer.Length;

    /// <summary>Absolute position one past the newest accepted sample.</summary>
    public long WritePosition => Volatile.Read(ref _written);

    /// <summary>Absolute position of the oldest sample still held.</summary>
    public long ReleasedPosition => Volatile.Read(ref _released);

    /// <summary>Samples dropped because the ring was full, since the stream began.</summary>
    public long OverflowSamples => Volatile.Read(ref _overflow);

    /// <summary>Samples held and not yet released.</summary>
    public int Count => (int)(WritePosition - ReleasedPosition);

    /// <summary>Appends samples; returns how many were accepted. The rest are counted as overflow.</summary>
    public int Write(ReadOnlySpan<short> samples)
    {
        var written = _written; // only the producer writes this field
        var free = _buffer.Length - (int)(written - Volatile.Read(ref _released));
        var accepted = Math.Min(free, samples.Length);
        if (accepted < samples.Length)
        {
            Interlocked.Add(ref _overflow, samples.Length - accepted);
        }

        if (accepted > 0)
        {
            var start = (int)(written & _mask);
            var first = Math.Min(accepted, _buffer.Length - start);
            samples[..first].CopyTo(_buffer.AsSpan(start));
            samples[first..accepted].CopyTo(_buffer);
            // Publish after the copy: readers that see the new position see the samples.
            Volatile.Write(ref _written, written + accepted);
        }

        return accepted;
    }

    /// <summary>Copies samples starting at an absolute position. The whole range must be held.</summary>
    public void CopyTo(long position, Span<short> destination)
    {
        CheckRange(position, destination.Length);
        var start = (int)(position & _mask);
        var first = Math.Min(destination.Length, _buffer.Length - start);
        _buffer.AsSpan(start, first).CopyTo(destination);
        _buffer.AsSpan(0, destination.Length - first).CopyTo(destination[first..]);
    }

    /// <summary>Copies samples starting at an absolute position, converted to float in [-1, 1).</summary>
    public void CopyTo(long position, Span<float> destination)
    {
        CheckRange(position, destination.Length);
        var start = (int)(position & _mask);
        var first = Math.Min(destination.Length, _buffer.Length - start);
        PcmConvert.ToFloat(_buffer.AsSpan(start, first), destination[..first]);
        PcmConvert.ToFloat(_buffer.AsSpan(0, destination.Length - first), destination[first..]);
    }

    /// <summary>Frees every sample before <paramref name="position"/>. Positions only move forward; any thread may call it.</summary>
    public void Release(long position)
    {
        if (position > WritePosition)
        {
            throw new ArgumentOutOfRangeException(nameof(position), position, "Cannot release audio that has not been written.");
        }

        var current = Volatile.Read(ref _released);
        while (position > current)
        {
            var seen = Interlocked.CompareExchange(ref _released, position, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private void CheckRange(long position, int length)
    {
        var released = ReleasedPosition;
        var written = WritePosition;
        if (position < released || position + length > written)
        {
            throw new ArgumentOutOfRangeException(
                nameof(position),
                $"Samples [{position}, {position + length}) are not held; the ring holds [{released}, {written}).");
        }

        Debug.Assert(length <= _buffer.Length);
    }
}
