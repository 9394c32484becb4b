using System.Text.Json;

namespace Gateway.Load.Protocols;

/// <summary>One JSON message from the gateway, with the fields the load tool measures, stamped on arrival.</summary>
internal sealed record ServerMessage(string Type, long? SegmentId, string? Text, string? Code, double? EndMs, long ReceivedAt)
{
    /// <summary><c>offset</c> of an <c>ack</c>, a resumed <c>ready</c> or a <c>resume_gap</c> (sample frames).</summary>
    public long? Offset { get; init; }

    /// <summary><c>resume_token</c> of a <c>ready</c>.</summary>
    public string? ResumeToken { get; init; }

    /// <summary><c>fatal</c> of an <c>error</c>.</summary>
    public bool Fatal { get; init; }

    public static ServerMessage Parse(ReadOnlySpan<byte> json, long receivedAt)
    {
        var reader = new Utf8JsonReader(json);
        string type = "", text = "", code = "";
        string? token = null;
        long? segment = null, offset = null;
        var fatal = false;
        double? endMs = null;
        bool hasText = false, hasCode = false;
        var depth = 0;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    depth++;
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    depth--;
                    break;
                case JsonTokenType.PropertyName when depth == 1:
                    if (reader.ValueTextEquals("type"u8))
                    {
                        reader.Read();
                        type = reader.GetString() ?? "";
                    }
                    else if (reader.ValueTextEquals("segment_id"u8))
                    {
                        reader.Read();
                        segment = reader.TokenType == JsonTokenType.Number ? reader.GetInt64() : null;
                    }
                    else if (reader.ValueTextEquals("text"u8))
                    {
                        reader.Read();
                        text = reader.GetString() ?? "";
                        hasText = true;
                    }
                    else if (reader.ValueTextEquals("end_ms"u8))
                    {
                        reader.Read();
                        endMs = reader.TokenType == JsonTokenType.Number ? reader.GetDouble() : null;
                    }
                    else if (reader.ValueTextEquals("offset"u8))
                    {
                        reader.Read();
                        offset = reader.TokenType == JsonTokenType.Number ? reader.GetInt64() : null;
                    }
                    else if (reader.ValueTextEquals("resume_token"u8))
                    {
                        reader.Read();
                        token = reader.GetString();
                    }
                    else if (reader.ValueTextEquals("fatal"u8))
                    {
                        reader.Read();
                        fatal = reader.TokenType == JsonTokenType.True;
                    }
                    else if (reader.ValueTextEquals("code"u8))
                    {
                        reader.Read();
                        code = reader.GetString() ?? "";
                        hasCode = true;
                    }

                    break;
            }
        }

        return new ServerMessage(type, segment, hasText ? text : null, hasCode ? code : null, endMs, receivedAt) { Offset = offset, ResumeToken = token, Fatal = fatal };
    }

    /// <summary>The words of a result's text (the simulator ends each sentence with a full stop).</summary>
    public IEnumerable<string> Words() =>
        (Text ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => w.TrimEnd('.')).Where(w => w.Length > 0);
}
