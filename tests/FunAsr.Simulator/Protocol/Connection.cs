using System.Text.Json;
using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using FunAsr.Simulator.Diagnostics;
using FunAsr.Simulator.Faults;
using FunAsr.Simulator.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FunAsr.Simulator.Protocol;

/// <summary>
/// One accepted WebSocket: a receive loop feeding the flavour session and a single ordered processing loop
/// that simulates decoding and is the only sender. Concurrency: one receiver, one sender (the processing loop).
/// </summary>
internal sealed partial class Connection
{
    private readonly WebSocket _socket;
    private readonly HttpContext _http;
    private readonly SimulatorRuntime _runtime;
    private readonly Channel<Func<CancellationToken, Task>> _work =
        Channel.CreateUnbounded<Func<CancellationToken, Task>>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    private volatile bool _poisoned;
    private volatile bool _dead;

    public Connection(WebSocket socket, HttpContext http, SimulatorRuntime runtime, ConnectionStats stats)
    {
        _socket = socket;
        _http = http;
        _runtime = runtime;
        Stats = stats;
        OpenedAtEpochMs = runtime.Options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
    }

    public ConnectionStats Stats { get; }

    /// <summary>Largest message the simulated server accepts.</summary>
    public int MaxMessageBytes => _runtime.Options.Flavour == SimulatorFlavour.Python ? 1024 * 1024 : 32 * 1000 * 1000;

    public SimulatorOptions Options => _runtime.Options;

    /// <summary>Connection open time, the 2pass <c>timestamp</c> (funasr.md §4.5, WS2:96-97).</summary>
    public long OpenedAtEpochMs { get; }

    private bool _hotwordsCompiled;

    /// <summary>Bad JSON seen (C++ flavours): nothing is processed or sent any more (funasr.md §6.1).</summary>
    public bool Poisoned => _poisoned;

    public void Enqueue(Func<CancellationToken, Task> work) => _work.Writer.TryWrite(work);

    /// <summary>
    /// Reports, once per pending utterance, that the client sent <paramref name="what"/> while the terminal message
    /// (<paramref name="terminal"/>) of its previous utterance was still owed.
    /// </summary>
    public void ReportIfEarly(Utterance? pending, int awaitingTerminal, string what, string wavName, string terminal)
    {
        if (awaitingTerminal > 0 && pending is not null && !pending.EarlyReported)
        {
            pending.EarlyReported = true;
            Violation(ViolationKind.SentBeforeFinal, $"{what} for '{wavName}' before the previous {terminal} was sent");
        }
    }

    public void Violation(ViolationKind kind, string detail)
    {
        _runtime.Stats.AddViolation(new ProtocolViolation(Stats.Id, kind, detail));
        Log.ViolationSeen(_runtime.Logger, Stats.Id, kind, detail);
    }

    /// <summary>funasr.md §6.1: the error is logged, every later message ignored, nothing sent, the socket stays open.</summary>
    public void Poison(string reason)
    {
        if (_poisoned)
        {
            return;
        }

        _poisoned = true;
        _runtime.Stats.AddPoisoned(Stats);
        Log.Poisoned(_runtime.Logger, Stats.Id, reason);
    }

    /// <summary>Fault: abort the TCP connection without a close handshake.</summary>
    public void Drop()
    {
        _runtime.Stats.AddFault(FaultKind.DropConnection);
        Log.FaultInjected(_runtime.Logger, Stats.Id, FaultKind.DropConnection);
        Abort();
    }

    /// <summary>
    /// A wrongly typed field the C++ servers convert outside any try block (funasr.md §3.1): the real process
    /// may abort. The simulator aborts this connection only and records the violation.
    /// </summary>
    public void Crash(string field, string detail)
    {
        Violation(ViolationKind.WrongJsonType, $"{field}: {detail}");
        Log.Crashed(_runtime.Logger, Stats.Id, field);
        Abort();
    }

    public void SilentFinal()
    {
        _runtime.Stats.AddFault(FaultKind.SilentFinal);
        Log.FaultInjected(_runtime.Logger, Stats.Id, FaultKind.SilentFinal);
    }

    public UtterancePlan StartUtterance()
    {
        _runtime.Stats.StartUtterance(Stats);
        return _runtime.Options.Faults.PlanUtterance();
    }

    public void CompleteUtterance() => _runtime.Stats.CompleteUtterance(Stats);

    public void AddConfig() => _runtime.Stats.AddConfig(Stats);

    public void AddSequenceRegressions(int count)
    {
        if (count > 0)
        {
            _runtime.Stats.AddSequenceRegressions(count);
        }
    }

    /// <summary>
    /// Decodes <paramref name="audioBytes"/> on a decoder worker (capacity model: waits its turn, holds the worker for
    /// the audio's cost), then waits <paramref name="latency"/> plus the injected extra delay, which hold no worker.
    /// </summary>
    public async Task DecodeAsync(int audioBytes, TimeSpan latency, CancellationToken cancellationToken)
    {
        if (audioBytes > 0 && _runtime.Decoders is { } decoders)
        {
            await decoders.DecodeAsync(audioBytes, cancellationToken);
        }

        await DelayAsync(latency, cancellationToken);
    }

    /// <summary>Simulated decode time plus the injected <see cref="SimulatorFaults.ExtraDelay"/>.</summary>
    private async Task DelayAsync(TimeSpan latency, CancellationToken cancellationToken)
    {
        var extra = _runtime.Options.Faults.ExtraDelay;
        if (extra > TimeSpan.Zero)
        {
            _runtime.Stats.AddFault(FaultKind.ExtraDelay);
        }

        var total = latency + extra;
        if (total > TimeSpan.Zero)
        {
            await Task.Delay(total, _runtime.Options.TimeProvider, cancellationToken);
        }
    }

    public async Task SendAsync(Reply reply, JsonStyle style, CancellationToken cancellationToken)
    {
        if (_poisoned || _dead)
        {
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(reply.ToJson(style));
        await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        _runtime.Stats.AddMessageSent();
    }

    public async Task RunAsync(IFlavourSession session, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _http.RequestAborted);
        var processing = ProcessAsync(stop.Token);
        try
        {
            await ReceiveAsync(session, stop.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            Log.ReceiveEnded(_runtime.Logger, Stats.Id, e.GetType().Name);
        }
        finally
        {
            // Like the real servers, work still queued when the peer goes away is discarded.
            _dead = true;
            _work.Writer.TryComplete();
            await stop.CancelAsync();
            await processing;
        }
    }

    private async Task ReceiveAsync(IFlavourSession session, CancellationToken cancellationToken)
    {
        // Small per-connection buffers keep a load run with thousands of connections cheap; big messages grow the writer.
        var buffer = new byte[16 * 1024];
        var message = new ArrayBufferWriter<byte>(16 * 1024);
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                _dead = true;
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
                return;
            }

            if (message.WrittenCount + result.Count > MaxMessageBytes)
            {
                // funasr.md §2 frame limits: websocketpp 32 MB, Python websockets 1 MiB; both close with 1009.
                _dead = true;
                Log.MessageTooBig(_runtime.Logger, Stats.Id, MaxMessageBytes);
                await _socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, "message too big", cancellationToken);
                return;
            }

            message.Write(buffer.AsSpan(0, result.Count));
            if (!result.EndOfMessage)
            {
                continue;
            }

            if (result.MessageType == WebSocketMessageType.Text)
            {
                session.OnText(Encoding.UTF8.GetString(message.WrittenSpan));
            }
            else
            {
                Stats.AddBytes(message.WrittenCount);
                session.OnBinary(message.WrittenSpan);
            }

            message.ResetWrittenCount();
        }
    }

    private async Task ProcessAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var work in _work.Reader.ReadAllAsync(cancellationToken))
            {
                if (_poisoned || _dead)
                {
                    continue;
                }

                await work(cancellationToken);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            Log.ProcessingEnded(_runtime.Logger, Stats.Id, e.GetType().Name);
        }
    }

    private void Abort()
    {
        _dead = true;
        _http.Abort();
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.Poisoned, LogLevel.Warning, "Connection {ConnectionId} poisoned by bad JSON ({Reason}); it stays open and silent")]
        public static partial void Poisoned(ILogger logger, long connectionId, string reason);

        [LoggerMessage(EventIds.FaultInjected, LogLevel.Information, "Connection {ConnectionId}: injected fault {Fault}")]
        public static partial void FaultInjected(ILogger logger, long connectionId, FaultKind fault);

        [LoggerMessage(EventIds.Violation, LogLevel.Debug, "Connection {ConnectionId}: protocol violation {Kind}: {Detail}")]
        public static partial void ViolationSeen(ILogger logger, long connectionId, ViolationKind kind, string detail);

        [LoggerMessage(EventIds.Crashed, LogLevel.Warning, "Connection {ConnectionId}: wrongly typed '{Field}' would abort the real C++ server; aborting this connection")]
        public static partial void Crashed(ILogger logger, long connectionId, string field);

        [LoggerMessage(EventIds.MessageTooBig, LogLevel.Warning, "Connection {ConnectionId}: message over {Limit} bytes, closing with 1009")]
        public static partial void MessageTooBig(ILogger logger, long connectionId, int limit);

        [LoggerMessage(EventIds.ReceiveEnded, LogLevel.Debug, "Connection {ConnectionId}: receive loop ended ({Reason})")]
        public static partial void ReceiveEnded(ILogger logger, long connectionId, string reason);

        [LoggerMessage(EventIds.ProcessingEnded, LogLevel.Debug, "Connection {ConnectionId}: processing loop ended ({Reason})")]
        public static partial void ProcessingEnded(ILogger logger, long connectionId, string reason);
    }

    /// <summary>
    /// A client text message as every server flavour first treats it: bad JSON is recorded and, on the C++ servers,
    /// poisons the connection (nothing is ever sent again, the socket stays open; funasr.md §6.1); a JSON value that
    /// is not an object is recorded and ignored; an object goes to <paramref name="handle"/>.
    /// </summary>
    public void HandleText(string text, bool poisonOnBadJson, Action<JsonElement> handle)
    {
        if (Poisoned)
        {
            return;
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            Violation(ViolationKind.InvalidJson, e.Message);
            if (poisonOnBadJson)
            {
                Poison(e.Message);
            }

            return;
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                Violation(ViolationKind.NotAnObject, doc.RootElement.ValueKind.ToString());
                return;
            }

            handle(doc.RootElement);
        }
    }

    /// <summary>
    /// Hotwords are connection-scoped on the C++ servers (WS:315-358, WS2:470-513): compiled at the first text message,
    /// with or without hotwords, and never again; a later different value is ignored and recorded. A value that is
    /// not a string would abort the real server (funasr.md §3.1): here it aborts this connection only.
    /// </summary>
    public bool CompileHotwordsOnce(JsonElement root)
    {
        var has = root.TryGetProperty("hotwords", out var hotwords);
        if (has && hotwords.ValueKind != JsonValueKind.String)
        {
            Crash("hotwords", $"expected a string holding JSON, got {hotwords.ValueKind}");
            return false;
        }

        if (!_hotwordsCompiled)
        {
            _hotwordsCompiled = true;
            Stats.Hotwords = has ? hotwords.GetString() : null;
        }
        else if (has && hotwords.GetString() != Stats.Hotwords)
        {
            Violation(ViolationKind.HotwordsChanged, $"connection uses '{Stats.Hotwords}', '{hotwords.GetString()}' ignored");
        }

        return true;
    }
}
