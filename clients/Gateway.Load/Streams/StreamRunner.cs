using System.Diagnostics;
using System.Net.WebSockets;
using System.Runtime.InteropServices;
using Gateway.Load.Audio;
using Gateway.Load.Protocols;
using Gateway.Load.Resume;

namespace Gateway.Load.Streams;

/// <summary>
/// One real-time stream: connect, <c>start</c>, then silence and watermarked utterances paced by the sample clock
/// (a frame leaves when its last sample is due), then <c>close</c> and every result until the server's close.
/// </summary>
internal sealed class StreamRunner
{
    private readonly Uri _url;
    private readonly SpeechFixture _fixture;
    private readonly StreamSettings _settings;
    private readonly ResetSchedule? _resets;
    private readonly ResumeStats? _resumes;

    /// <param name="resets">With resets (native only): each stream resumes its session after every reset.</param>
    public StreamRunner(Uri url, SpeechFixture fixture, StreamSettings settings, ResetSchedule? resets = null, ResumeStats? resumes = null)
    {
        _url = url;
        _fixture = fixture;
        _settings = settings;
        _resets = resets;
        _resumes = resumes;
    }

    /// <summary>Runs stream <paramref name="index"/> of <paramref name="count"/>; never throws for a gateway failure.</summary>
    public async Task<StreamOutcome> RunAsync(int index, int count, CancellationToken token)
    {
        var outcome = new StreamOutcome { Index = index };
        var random = new Random(HashCode.Combine(_settings.Seed, index));
        var factory = new UtteranceFactory(_fixture, _settings.TalkRatio, _settings.MinGapSamples, firstUtterance: random.Next(_fixture.Utterances.Count));
        await Task.Delay(_settings.Ramp * index / Math.Max(1, count), token);

        var stopAt = Stopwatch.GetTimestamp() + (long)(_settings.Duration.TotalSeconds * Stopwatch.Frequency);
        Task? receiving = null;
        try
        {
            await using var connection = _resets is null
                ? await ProtocolClients.ConnectAsync(_settings.Protocol, _url, token)
                : await ResumingNativeClient.ConnectAsync(_url, _resumes!, token);
            var first = await connection.StartAsync(_settings.EndpointSilenceMs, token);
            if (first?.Type != "ready")
            {
                outcome.Refused = first?.Type == "wait";
                if (first is not null)
                {
                    outcome.Messages.Add(first);
                }

                outcome.CloseStatus = connection.CloseStatus;
                return outcome;
            }

            receiving = ReceiveAllAsync(connection, outcome, token);
            using var resettable = Resettable(connection);
            var pacer = new Pacer(_settings, connection, outcome);

            // A random phase, so speech is not synchronised across streams (each starts somewhere in its cycle).
            var phase = (int)(random.NextDouble() * Math.Min(factory.MeanCycleSamples, _settings.Duration.TotalSeconds * 16_000 / 2));
            await pacer.SendSilenceAsync(phase, token);
            do
            {
                var utterance = factory.Next();
                var speechEndMs = (pacer.Position + utterance.SpeechEnd) / 16.0;
                var (started, ended) = await pacer.SendUtteranceAsync(utterance, token);
                outcome.Utterances.Add(new SentUtterance(utterance.Tokens, started, ended, speechEndMs));
            }
            while (Stopwatch.GetTimestamp() < stopAt);

            await connection.SendEndAsync(token);
            if (await Task.WhenAny(receiving, Task.Delay(_settings.DrainTimeout, token)) != receiving)
            {
                outcome.DrainTimedOut = true;
            }
            else
            {
                await receiving;
            }

            outcome.CloseStatus = connection.CloseStatus;
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException)
        {
            outcome.Failure ??= $"{ex.GetType().Name}: {ex.Message}";
        }

        if (receiving is not null)
        {
            await receiving; // the connection is disposed by now: the receive loop has ended or ends at once
        }

        return outcome;
    }

    /// <summary>Puts the stream in the reset schedule until it closes.</summary>
    private Registration? Resettable(IProtocolClient connection)
    {
        if (_resets is not { } resets || connection is not ResumingNativeClient client)
        {
            return null;
        }

        resets.Add(client);
        return new Registration(() => resets.Remove(client));
    }

    private sealed class Registration(Action remove) : IDisposable
    {
        public void Dispose() => remove();
    }

    private static async Task ReceiveAllAsync(IProtocolClient connection, StreamOutcome outcome, CancellationToken token)
    {
        try
        {
            while (await connection.ReceiveAsync(token) is { } message)
            {
                outcome.Refused |= message.Type == "wait"; // protocols without a ready message are refused later
                outcome.Messages.Add(message);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            outcome.Failure ??= $"receive: {ex.GetType().Name}: {ex.Message}";
        }
    }

    /// <summary>Sends audio on the stream's sample clock: a frame is sent when its last sample is due.</summary>
    private sealed class Pacer(StreamSettings settings, IProtocolClient connection, StreamOutcome outcome)
    {
        private readonly long _origin = Stopwatch.GetTimestamp();
        private readonly byte[] _silence = new byte[settings.FrameSamples * 2];
        private long _position;

        /// <summary>Samples sent so far.</summary>
        public long Position => _position;

        public async Task SendSilenceAsync(int samples, CancellationToken token)
        {
            for (var sent = 0; sent < samples;)
            {
                var n = Math.Min(settings.FrameSamples, samples - sent);
                await SendFrameAsync(_silence.AsMemory(0, n * 2), token);
                sent += n;
            }
        }

        public async Task<(long Started, long Ended)> SendUtteranceAsync(Utterance utterance, CancellationToken token)
        {
            var bytes = MemoryMarshal.AsBytes(utterance.Samples.AsSpan()).ToArray();
            long started = 0, ended = 0;
            for (var offset = 0; offset < utterance.Samples.Length;)
            {
                var n = Math.Min(settings.FrameSamples, utterance.Samples.Length - offset);
                var sentAt = await SendFrameAsync(bytes.AsMemory(offset * 2, n * 2), token);
                // A sample is "spoken" when it is due, before the frame that carries it can leave: the client's
                // framing is charged to the latencies (up to one frame), as a user would feel it.
                if (offset <= utterance.SpeechStart && utterance.SpeechStart < offset + n)
                {
                    started = sentAt - SamplesToTicks(offset + n - (utterance.SpeechStart + 1));
                }

                if (offset <= utterance.SpeechEnd - 1 && utterance.SpeechEnd - 1 < offset + n)
                {
                    ended = sentAt - SamplesToTicks(offset + n - utterance.SpeechEnd);
                }

                offset += n;
            }

            return (started, ended);
        }

        private long SamplesToTicks(int samples) => (long)(samples / 16_000.0 / settings.RealTimeFactor * Stopwatch.Frequency);

        private async Task<long> SendFrameAsync(ReadOnlyMemory<byte> frame, CancellationToken token)
        {
            var samples = frame.Length / 2;
            var due = _origin + (long)((_position + samples) / 16_000.0 / settings.RealTimeFactor * Stopwatch.Frequency);
            var wait = due - Stopwatch.GetTimestamp();
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency), token);
            }

            var sentAt = Stopwatch.GetTimestamp();
            outcome.PacingLagMs.Add(Math.Max(0, (sentAt - due) * 1000.0 / Stopwatch.Frequency));
            await connection.SendAudioAsync(frame, token);
            _position += samples;
            return sentAt;
        }
    }
}
