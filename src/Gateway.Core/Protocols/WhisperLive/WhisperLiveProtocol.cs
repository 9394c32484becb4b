using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Gateway.Core.Results;
using Gateway.Core.Sessions;

namespace Gateway.Core.Protocols.WhisperLive;

/// <summary>
/// Wire compatibility with WhisperLive 0.9.0 clients (docs/whisperlive.md; reference in
/// shared/protocols/whisperlive.md): JSON options first, then float32 / int16 / uint8 audio at 16 kHz mono,
/// <c>END_OF_AUDIO</c> as a binary or text frame; every reply is JSON carrying the client's <c>uid</c>.
/// One instance per connection: the uid and the segment window are per session.
/// </summary>
internal sealed class WhisperLiveProtocol : ISessionProtocol
{
    /// <summary>The backend name the Python client requires before it keeps completed segments.</summary>
    public const string Backend = "faster_whisper";

    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly byte[] NullUid = "null"u8.ToArray();

    private readonly string _defaultLanguage;
    private byte[] _uid = NullUid;
    private SegmentWindow _window = new(WhisperLiveOptionsParser.DefaultSendLastN);
    private string? _reportLanguage;

    public WhisperLiveProtocol(WhisperLiveOptions options) => _defaultLanguage = options.DefaultLanguage;

    private static ReadOnlySpan<byte> EndOfAudio => "END_OF_AUDIO"u8;

    public string Name => "whisperlive";

    /// <summary>WAIT must carry the uid, so the options are read before admission.</summary>
    public bool AdmitsAfterFirstMessage => true;

    public StartResult ParseStart(ReadOnlySpan<byte> utf8, StreamSettings initial)
    {
        var start = WhisperLiveOptionsParser.Parse(utf8, initial, _defaultLanguage);
        _uid = start.Uid ?? NullUid;
        _window = new SegmentWindow(start.SendLastN);
        _reportLanguage = start.ReportLanguage;
        return start.Result;
    }

    public ControlResult ParseControl(ReadOnlySpan<byte> utf8) =>
        utf8.Trim((byte)' ').SequenceEqual(EndOfAudio)
            ? new ControlResult(ControlKind.Close, null)
            : new ControlResult(ControlKind.None, new ClientError(
                ErrorCodes.UnexpectedText,
                "after the options only binary audio frames and END_OF_AUDIO are accepted",
                CloseCodes.UnsupportedData));

    public ControlKind ClassifyBinary(ReadOnlySpan<byte> message) =>
        message.SequenceEqual(EndOfAudio) ? ControlKind.Close : ControlKind.None;

    public void Write(MessageBatch output, ServerEvent serverEvent)
    {
        switch (serverEvent)
        {
            case ReadyEvent:
                Message(output, json =>
                {
                    json.WriteString("message", "SERVER_READY");
                    json.WriteString("backend", Backend);
                });
                if (_reportLanguage is { } language)
                {
                    // Right after ready: Chrome takes the message after ready as the language message, whatever it holds.
                    output.EndMessage();
                    Message(output, json =>
                    {
                        json.WriteString("language", language);
                        json.WriteNumber("language_prob", 1.0);
                    });
                }

                break;
            case WaitEvent wait:
                Status(output, "WAIT", json => json.WriteNumber("message", Math.Round(Math.Max(0, wait.EstimatedWait.TotalMinutes), 3)));
                break;
            case ErrorEvent error:
                // A non-fatal error must not read as ERROR: the Python client treats ERROR as a failed session.
                Status(output, error.Fatal ? "ERROR" : "WARNING", json => json.WriteString("message", error.Message));
                break;
            case DisconnectEvent:
                Message(output, json => json.WriteString("message", "DISCONNECT"));
                break;
            case OverflowEvent overflow:
                Status(output, "WARNING", json => json.WriteString("message", string.Create(
                    CultureInfo.InvariantCulture,
                    $"audio arrived faster than it could be buffered; {overflow.DroppedSamples / 16} ms were dropped and not transcribed")));
                break;
            case PartialEvent partial:
                WriteWindowIf(output, _window.OnPartial(partial));
                break;
            case FinalEvent final:
                WriteWindowIf(output, _window.OnFinal(final));
                break;
            case SegmentFailedEvent failed:
                Status(output, "WARNING", json => json.WriteString("message", $"speech could not be transcribed: {failed.Message}"));
                if (_window.OnFailed(failed) && !_window.IsEmpty)
                {
                    output.EndMessage();
                    WriteWindowIf(output, true);
                }

                break;
            default:
                break; // speech start/end and flushes have no WhisperLive message
        }
    }

    private void WriteWindowIf(MessageBatch output, bool changed)
    {
        // Never an empty segments array: the Python client reads segments[-1].
        if (changed && !_window.IsEmpty)
        {
            Message(output, _window.Write);
        }
    }

    private void Status(MessageBatch output, string status, Action<Utf8JsonWriter> body) =>
        Message(output, json =>
        {
            json.WriteString("status", status);
            body(json);
        });

    private void Message(MessageBatch output, Action<Utf8JsonWriter> body)
    {
        using var json = new Utf8JsonWriter(output, JsonOptions);
        json.WriteStartObject();
        json.WritePropertyName("uid");
        json.WriteRawValue(_uid, skipInputValidation: true);
        body(json);
        json.WriteEndObject();
    }
}
