using Gateway.Core.Admission;
using Gateway.Core.Results;
using Gateway.Core.Sessions;

namespace Gateway.Core.Protocols;

/// <summary>
/// A client wire protocol: how the first message configures a session, what text (and special binary)
/// messages mean afterwards, and how server events are rendered. Parsers take spans and never touch sockets.
/// One instance per connection, so a protocol may keep per-session state (a client id to echo, the segments
/// already sent); it is used by one session only, from its receive loop (parsing) and its send loop (rendering).
/// </summary>
public interface ISessionProtocol
{
    /// <summary>Short name for logs and metrics (<c>native</c>, <c>whisperlive</c>, <c>funasr</c>).</summary>
    string Name { get; }

    /// <summary>
    /// True when the client must be told who it is even when refused (WhisperLive echoes the client's uid in
    /// WAIT): the first text message is read and parsed before admission instead of after.
    /// </summary>
    bool AdmitsAfterFirstMessage { get; }

    /// <summary>
    /// Interprets the first text message as the session's configuration, layered over <paramref name="initial"/>
    /// (which already reflects the query string).
    /// </summary>
    StartResult ParseStart(ReadOnlySpan<byte> utf8, StreamSettings initial);

    /// <summary>Interprets a text message received after the start.</summary>
    ControlResult ParseControl(ReadOnlySpan<byte> utf8);

    /// <summary>Binary messages that are control, not audio (WhisperLive's <c>END_OF_AUDIO</c>).</summary>
    ControlKind ClassifyBinary(ReadOnlySpan<byte> message);

    /// <summary>
    /// Leading bytes of a binary (audio) chunk that are not audio and must be skipped: a FunASR client streams a
    /// file's WAV header inside its audio. Called for every binary chunk in order; the default skips nothing.
    /// </summary>
    int NonAudioPrefix(ReadOnlySpan<byte> chunk) => 0;

    /// <summary>
    /// True when the protocol tells the client its resume token and acks audio (the native one): its sessions detach
    /// on a transport drop instead of ending. The session does the rest (Resume/); a protocol only renders.
    /// </summary>
    bool OffersResume => false;

    /// <summary>
    /// Renders one event as UTF-8 text messages: none when the protocol has nothing to say about it, or
    /// several separated by <see cref="MessageBatch.EndMessage"/>.
    /// </summary>
    void Write(MessageBatch output, ServerEvent serverEvent);

    /// <summary>
    /// The close frame for a session ending for <paramref name="reason"/>: a protocol whose clients key on their own
    /// codes (Deepgram's 1011 <c>NET-0001</c>) maps the gateway's; the default keeps them.
    /// </summary>
    (int Code, string Description) CloseFrame(DisconnectReason reason, int code, string description) => (code, description);
}

/// <param name="Then">
/// A control carried by the start message itself, run right after the start (a FunASR config that also says
/// <c>is_speaking:false</c>).
/// </param>
public readonly record struct StartResult(StreamSettings? Settings, ClientError? Error, ControlKind Then = ControlKind.None);

public enum ControlKind
{
    /// <summary>Not control: for binary messages, audio.</summary>
    None,

    /// <summary>Flush the current speech now (end the open segment).</summary>
    Finalize,

    /// <summary>Graceful close: deliver pending results, then close.</summary>
    Close,

    /// <summary>Nothing to do but count as activity: resets the idle timer (Deepgram's <c>KeepAlive</c>).</summary>
    KeepAlive,
}

public readonly record struct ControlResult(ControlKind Kind, ClientError? Error);
