using Gateway.Core.Protocols;
using Gateway.Core.Results;
using Gateway.Core.Sessions;

namespace Gateway.Core.Ingest;

/// <summary>
/// The session protocol of an ingest: the session's events are handed to the ingest instead of being rendered for a
/// client (nothing goes on any wire). Control messages come from the ingest itself in the native format.
/// </summary>
/// <remarks>Used by one session: parsing on its receive loop, <see cref="Write"/> on its send loop.</remarks>
internal sealed class IngestProtocol(Action<ServerEvent> onEvent) : ISessionProtocol
{
    public const string StartMessage = """{"type":"start"}""";
    public const string CloseMessage = """{"type":"close"}""";

    public string Name => "ingest";

    public bool AdmitsAfterFirstMessage => false;

    public StartResult ParseStart(ReadOnlySpan<byte> utf8, StreamSettings initial) => new(initial, null);

    public ControlResult ParseControl(ReadOnlySpan<byte> utf8) =>
        new(utf8.SequenceEqual("""{"type":"close"}"""u8) ? ControlKind.Close : ControlKind.None, null);

    public ControlKind ClassifyBinary(ReadOnlySpan<byte> message) => ControlKind.None;

    public void Write(MessageBatch output, ServerEvent serverEvent) => onEvent(serverEvent);
}
