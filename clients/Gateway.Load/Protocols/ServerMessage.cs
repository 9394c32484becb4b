using System.Text.Json;

namespace Gateway.Load.Protocols;

/// <summary>One JSON message from the gateway, with the fields the load tool measures, stamped on arrival.</summary>
internal sealed record ServerMessage(string Type, long? SegmentId, string? Text, string? Code, double? EndMs, long ReceivedAt)
{
    public static ServerMessage Parse(ReadOnlySpan<byte> json, long receivedAt)
    {
        var reader = new Utf8JsonReader(json);
        string type = "", text = "", code = "";
        long? segment = null;
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
                    else if (reader.ValueTextEquals("code"u8))
                    {
                        reader.Read();
                        code = reader.GetString() ?? "";
                        hasCode = true;
                    }

                    break;
            }
        }

        return new ServerMessage(type, segment, hasText ? text : null, hasCode ? code : null, endMs, receivedAt);
    }

    /// <summary>The words of a result's text (the simulator ends each sentence with a full stop).</summary>
    public IEnumerable<string> Words() =>
        (Text ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => w.TrimEnd('.')).Where(w => w.Length > 0);
}
