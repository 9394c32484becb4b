using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Gateway.Core.Audio;
using Gateway.Core.Sessions;

namespace Gateway.Core.Protocols.Deepgram;

/// <summary>
/// One Deepgram connection that is more than one plain stream: containerised audio (no <c>encoding</c>) decoded by
/// ffmpeg, and/or <c>multichannel=true</c>, where each channel is its own session with its own results
/// (<c>channel_index</c>). The reader of the real socket feeds each stream's <see cref="StreamSocket"/>: audio
/// de-interleaved per channel, text frames to every stream (after ffmpeg has decoded everything sent before a
/// <c>CloseStream</c>). The real socket closes once every stream has closed, or at once on data ffmpeg cannot
/// decode (1008 <c>DATA-0000</c>, after an <c>Error</c> message).
/// </summary>
/// <remarks>
/// Concurrency: <see cref="RunAsync"/> is the only reader of the real socket; sends from the streams' send loops are
/// serialised by <see cref="_send"/>. Audio is copied once into pooled buffers per stream.
/// </remarks>
internal sealed class DeepgramStreams : IAsyncDisposable
{
    private const int ChunkBytes = 16 * 1024;
    private static readonly byte[] CloseStream = """{"type":"CloseStream"}"""u8.ToArray();
    private readonly WebSocket _socket;
    private readonly DeepgramListen _listen;
    private readonly int _maxMessageBytes;
    private readonly string _ffmpegPath;
    private readonly StreamSocket[] _streams;
    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly byte[] _carry = new byte[64];
    private readonly Lock _closeLock = new();
    private int _carryCount;
    private volatile bool _failed;
    private int _closed;
    private (WebSocketCloseStatus Status, string Description)? _close;
    private FfmpegTranscoder? _ffmpeg;
    private Task? _decoded;

    public DeepgramStreams(WebSocket socket, DeepgramListen listen, int maxMessageBytes, string ffmpegPath)
    {
        _socket = socket;
        _listen = listen;
        _maxMessageBytes = maxMessageBytes;
        _ffmpegPath = ffmpegPath;
        _streams = new StreamSocket[listen.Streams];
        for (var i = 0; i < _streams.Length; i++)
        {
            _streams[i] = new StreamSocket(this, i);
        }
    }

    public IReadOnlyList<WebSocket> Streams => _streams;

    public string? SubProtocol => _socket.SubProtocol;

    /// <summary>Bytes of one sample frame of what the splitter de-interleaves: the client's raw frames, or ffmpeg's PCM16.</summary>
    private int SampleBytes => _listen.Containerised ? 2 : _listen.Settings.Format.Encoding.BytesPerSample();

    private int Channels => _listen.Containerised ? _listen.Streams : _listen.Channels;

    /// <summary>Reads the real socket until the client closes or every stream has closed.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (_listen.Containerised)
        {
            _ffmpeg = FfmpegTranscoder.TryStart(_ffmpegPath, _listen.Streams, out var error);
            if (_ffmpeg is null)
            {
                await FailAsync(CloseCodes.InternalError, $"{DeepgramCloseReasons.Internal}: containerised audio needs ffmpeg", error!);
                return;
            }

            _decoded = PumpDecodedAsync(cancellationToken);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        var message = new ArrayBufferWriter<byte>(ChunkBytes);
        long binaryBytes = 0;
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close || _failed)
                {
                    break;
                }

                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    if (result.Count > 0)
                    {
                        await OnAudioAsync(buffer.AsMemory(0, result.Count), cancellationToken);
                    }

                    binaryBytes += result.Count;
                    if (result.EndOfMessage)
                    {
                        if (binaryBytes == 0)
                        {
                            await OnTextAsync(CloseStream, cancellationToken); // the legacy empty frame: end of stream
                        }

                        binaryBytes = 0;
                    }

                    continue;
                }

                if (message.WrittenCount + result.Count > _maxMessageBytes)
                {
                    await FailAsync(CloseCodes.MessageTooBig, "message too big", $"a text message exceeds {_maxMessageBytes} bytes");
                    return;
                }

                message.Write(buffer.AsSpan(0, result.Count));
                if (result.EndOfMessage)
                {
                    await OnTextAsync(message.WrittenMemory, cancellationToken);
                    message.ResetWrittenCount();
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // The client went away; every stream sees its end below.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (_ffmpeg is not null)
            {
                _ffmpeg.CompleteInput();
            }

            if (_decoded is not null)
            {
                await _decoded;
            }

            foreach (var stream in _streams)
            {
                stream.Complete();
            }
        }
    }

    private async ValueTask OnAudioAsync(ReadOnlyMemory<byte> audio, CancellationToken cancellationToken)
    {
        if (_ffmpeg is not null)
        {
            try
            {
                await _ffmpeg.Input.WriteAsync(audio, cancellationToken);
                await _ffmpeg.Input.FlushAsync(cancellationToken);
            }
            catch (IOException)
            {
                // ffmpeg stopped (undecodable input); PumpDecodedAsync reports it.
            }

            return;
        }

        await SplitAsync(audio.Span.Length, audio, cancellationToken);
    }

    private async ValueTask OnTextAsync(ReadOnlyMemory<byte> text, CancellationToken cancellationToken)
    {
        if (_ffmpeg is not null && IsCloseStream(text.Span))
        {
            // Everything sent before CloseStream is decoded and queued before the streams are told to close.
            _ffmpeg.CompleteInput();
            await _decoded!;
        }

        var frames = new StreamFrame[_streams.Length];
        for (var i = 0; i < frames.Length; i++)
        {
            frames[i] = StreamFrame.Copy(text.Span, WebSocketMessageType.Text);
        }

        for (var i = 0; i < frames.Length; i++)
        {
            await _streams[i].DeliverAsync(frames[i], cancellationToken);
        }
    }

    /// <summary>ffmpeg's PCM16 output, de-interleaved to the streams; a failed decode ends the connection with DATA-0000.</summary>
    private async Task PumpDecodedAsync(CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        long produced = 0;
        try
        {
            int read;
            while ((read = await _ffmpeg!.Output.ReadAsync(buffer.AsMemory(0, ChunkBytes), cancellationToken)) > 0)
            {
                produced += read;
                await SplitAsync(read, buffer.AsMemory(0, read), cancellationToken);
            }

            var (exitCode, errors) = await _ffmpeg.WaitAsync(cancellationToken);
            if (exitCode != 0 && produced == 0)
            {
                await FailAsync(
                    CloseCodes.PolicyViolation,
                    $"{DeepgramCloseReasons.BadData}: audio could not be decoded",
                    $"the audio could not be decoded as a container (WAV, WebM, Ogg, MP3...); for raw audio set encoding and sample_rate. ffmpeg: {Last(errors)}");
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
        {
            // The connection ended first.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>De-interleaves whole sample frames into one message per stream (one stream: passes them on), carrying a partial frame.</summary>
    private async ValueTask SplitAsync(int length, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var sampleBytes = SampleBytes;
        var channels = Channels;
        var frameBytes = sampleBytes * channels;
        if (_streams.Length == 1 && _carryCount == 0 && length % frameBytes == 0)
        {
            await _streams[0].DeliverAsync(StreamFrame.Copy(data.Span, WebSocketMessageType.Binary), cancellationToken);
            return;
        }

        var frames = (_carryCount + length) / frameBytes;
        var outputs = new StreamFrame[_streams.Length];
        for (var c = 0; c < outputs.Length; c++)
        {
            outputs[c] = new StreamFrame(ArrayPool<byte>.Shared.Rent(Math.Max(1, frames * (_streams.Length == 1 ? frameBytes : sampleBytes))), 0, WebSocketMessageType.Binary);
        }

        Deinterleave(data.Span, outputs, frames, frameBytes, sampleBytes);
        for (var c = 0; c < outputs.Length; c++)
        {
            if (outputs[c].Length == 0)
            {
                outputs[c].Return();
                continue;
            }

            await _streams[c].DeliverAsync(outputs[c], cancellationToken);
        }
    }

    private void Deinterleave(ReadOnlySpan<byte> data, StreamFrame[] outputs, int frames, int frameBytes, int sampleBytes)
    {
        Span<byte> frame = stackalloc byte[frameBytes];
        var written = 0;
        for (var f = 0; f < frames; f++)
        {
            // The first frame may start in the carry from the previous message.
            var fromCarry = Math.Min(_carryCount, frameBytes);
            _carry.AsSpan(0, fromCarry).CopyTo(frame);
            data[..(frameBytes - fromCarry)].CopyTo(frame[fromCarry..]);
            data = data[(frameBytes - fromCarry)..];
            _carryCount = 0;
            if (outputs.Length == 1)
            {
                frame.CopyTo(outputs[0].Buffer.AsSpan(written));
                written += frameBytes;
            }
            else
            {
                for (var c = 0; c < outputs.Length; c++)
                {
                    frame.Slice(c * sampleBytes, sampleBytes).CopyTo(outputs[c].Buffer.AsSpan(f * sampleBytes));
                }

                written += sampleBytes;
            }
        }

        for (var c = 0; c < outputs.Length; c++)
        {
            outputs[c] = outputs[c] with { Length = written };
        }

        data.CopyTo(_carry.AsSpan(_carryCount));
        _carryCount += data.Length;
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> message, WebSocketMessageType type, CancellationToken cancellationToken)
    {
        await _send.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(message, type, true, cancellationToken);
        }
        finally
        {
            _send.Release();
        }
    }

    /// <summary>A stream's session closed it; the last one closes the real socket with the first reason given.</summary>
    public async Task StreamClosedAsync(StreamSocket stream, WebSocketCloseStatus status, string description)
    {
        lock (_closeLock)
        {
            if (_close is null || (_close.Value.Status == WebSocketCloseStatus.NormalClosure && status != WebSocketCloseStatus.NormalClosure))
            {
                _close = (status, description);
            }

            if (++_closed < _streams.Length)
            {
                return;
            }
        }

        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            await _socket.CloseOutputAsync(_close!.Value.Status, _close.Value.Description, CancellationToken.None);
        }

        _ = stream;
    }

    public void Abort() => _socket.Abort();

    private async Task FailAsync(int code, string reason, string description)
    {
        _failed = true;
        using var buffer = new MemoryStream();
        await using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", "Error");
            json.WriteString("variant", "DATA-0000");
            json.WriteString("description", description);
            json.WriteString("message", reason);
            json.WriteEndObject();
        }

        try
        {
            await SendAsync(buffer.ToArray(), WebSocketMessageType.Text, CancellationToken.None);
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync((WebSocketCloseStatus)code, Truncate(reason), CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
        {
        }

        foreach (var stream in _streams)
        {
            stream.Complete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_ffmpeg is not null)
        {
            await _ffmpeg.DisposeAsync();
        }

        foreach (var stream in _streams)
        {
            stream.Dispose();
        }

        _send.Dispose();
    }

    private static bool IsCloseStream(ReadOnlySpan<byte> text)
    {
        try
        {
            var reader = new Utf8JsonReader(text);
            using var document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("type", out var type)
                && type.ValueKind == JsonValueKind.String
                && type.ValueEquals("CloseStream");
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Last(string errors)
    {
        var lines = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "no output" : lines[^1];
    }

    private static string Truncate(string reason) => Encoding.UTF8.GetByteCount(reason) <= 123 ? reason : reason[..60];
}
