using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Gateway.Core.Rooms;

/// <summary>
/// Renders room events for viewers (docs/rooms.md §4), once per event: the JSON object, and the same object as a
/// Server-Sent Event (<c>id: n</c>, <c>data: json</c>, blank line; the JSON holds no newline, so one data line).
/// </summary>
public static class RoomEventWriter
{
    private static readonly JsonWriterOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static RoomEvent Render(long sequence, RoomEventData data)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("type", TypeName(data.Kind));
            json.WriteNumber("seq", sequence);
            json.WriteString("speaker", data.Speaker);
            switch (data.Kind)
            {
                case RoomEventKind.ParticipantJoined:
                case RoomEventKind.ParticipantLeft:
                case RoomEventKind.SourceLost:
                    json.WriteNumber("at_ms", Round(data.StartMs));
                    break;
                case RoomEventKind.SourceRestored:
                    json.WriteNumber("start_ms", Round(data.StartMs));
                    json.WriteNumber("end_ms", Round(data.EndMs));
                    break;
                default:
                    json.WriteNumber("segment_id", data.SegmentId);
                    json.WriteNumber("session_segment_id", data.SessionSegmentId);
                    json.WriteNumber("start_ms", Round(data.StartMs));
                    if (data.Kind != RoomEventKind.SpeechStarted)
                    {
                        json.WriteNumber("end_ms", Round(data.EndMs));
                    }

                    break;
            }

            if (data.Text is { } text)
            {
                json.WriteString(data.Kind is RoomEventKind.SegmentFailed or RoomEventKind.SourceLost ? "message" : data.Kind is RoomEventKind.SpeechEnded ? "cause" : "text", text);
            }

            if (data.Code is { } code)
            {
                json.WriteString("code", code);
            }

            if (data.Sentences is { } sentences)
            {
                json.WriteStartArray("sentences");
                foreach (var sentence in sentences)
                {
                    json.WriteStartObject();
                    json.WriteString("text", sentence.Text);
                    json.WriteNumber("start_ms", Round(data.SentenceOffsetMs + sentence.StartSample / 16.0));
                    json.WriteNumber("end_ms", Round(data.SentenceOffsetMs + sentence.EndSample / 16.0));
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        var jsonBytes = buffer.WrittenSpan.ToArray();
        return new RoomEvent(sequence, data, jsonBytes, Sse(sequence, jsonBytes));
    }

    /// <summary>An SSE frame of a JSON object; with an id when the message is a numbered event.</summary>
    public static byte[] Sse(long? id, ReadOnlySpan<byte> json)
    {
        var head = id is { } n ? string.Create(CultureInfo.InvariantCulture, $"id: {n}\ndata: ") : "data: ";
        var frame = new byte[Encoding.ASCII.GetByteCount(head) + json.Length + 2];
        var written = Encoding.ASCII.GetBytes(head, frame);
        json.CopyTo(frame.AsSpan(written));
        frame[^2] = (byte)'\n';
        frame[^1] = (byte)'\n';
        return frame;
    }

    /// <summary>The first message of a subscription: the room and who is in it.</summary>
    public static byte[] Welcome(RoomSnapshot room, long lastSequence, bool resumed)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("type", "room");
            json.WriteString("room", room.Name);
            json.WriteString("created_at", room.CreatedAt.ToString("O", CultureInfo.InvariantCulture));
            json.WriteNumber("now_ms", Round(room.DurationMs));
            json.WriteNumber("seq", lastSequence);
            json.WriteBoolean("resumed", resumed);
            json.WriteStartArray("participants");
            foreach (var participant in room.Participants)
            {
                json.WriteStringValue(participant.Speaker);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Sent after the history: what follows is live.</summary>
    public static byte[] HistoryEnd(long lastSequence, int replayed) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $$"""{"type":"history_end","seq":{{lastSequence}},"replayed":{{replayed}}}"""));

    /// <summary>A fatal error for a viewer (then the close).</summary>
    public static byte[] Error(string code, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("type", "error");
            json.WriteString("code", code);
            json.WriteString("message", message);
            json.WriteBoolean("fatal", true);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static string TypeName(RoomEventKind kind) => kind switch
    {
        RoomEventKind.ParticipantJoined => "participant_joined",
        RoomEventKind.ParticipantLeft => "participant_left",
        RoomEventKind.SpeechStarted => "speech_started",
        RoomEventKind.SpeechEnded => "speech_ended",
        RoomEventKind.Partial => "partial",
        RoomEventKind.Final => "final",
        RoomEventKind.SourceLost => "source_lost",
        RoomEventKind.SourceRestored => "source_restored",
        _ => "segment_failed",
    };

    private static double Round(double ms) => Math.Round(ms, 1);
}
