namespace Gateway.Core.Protocols.FunAsr;

/// <summary>
/// Which utterance (wav_name, requested mode, ack wanted) a result belongs to. Configs and ends of speech are
/// parsed by the receive loop, results rendered later by the send loop, so an ended utterance is queued until its
/// flush is rendered: results rendered before that flush carry the ended utterance's name even when the client
/// has already configured the next one.
/// </summary>
/// <remarks>Thread-safe: one writer (receive loop), one reader (send loop), a lock per message, never per frame.</remarks>
internal sealed class FunAsrUtterances
{
    /// <summary>The C++ servers' wav_name before a client names its stream.</summary>
    public const string DefaultWavName = "wav-default-id";

    private readonly Lock _gate = new();
    private readonly Queue<Utterance> _ended = new();
    private Utterance _open;

    public FunAsrUtterances(string defaultMode) => _open = new Utterance(DefaultWavName, defaultMode, false);

    /// <summary>A config names the open utterance (values persist across utterances until changed, as upstream).</summary>
    public void Configure(string? wavName, string? mode)
    {
        lock (_gate)
        {
            _open = _open with { WavName = wavName ?? _open.WavName, Mode = mode ?? _open.Mode };
        }
    }

    /// <summary>End of speech: the open utterance waits for its flush; the next one starts with the same names.</summary>
    public void End(bool ackRequested)
    {
        lock (_gate)
        {
            _ended.Enqueue(_open with { AckRequested = ackRequested });
        }
    }

    /// <summary>The utterance results are rendered for now: the oldest one not yet flushed.</summary>
    public Utterance Current
    {
        get
        {
            lock (_gate)
            {
                return _ended.Count > 0 ? _ended.Peek() : _open;
            }
        }
    }

    /// <summary>Its flush was rendered: the oldest ended utterance is done.</summary>
    public Utterance Complete()
    {
        lock (_gate)
        {
            return _ended.Count > 0 ? _ended.Dequeue() : _open;
        }
    }

    internal readonly record struct Utterance(string WavName, string Mode, bool AckRequested);
}
