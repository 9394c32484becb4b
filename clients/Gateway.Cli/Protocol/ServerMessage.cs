using System.Text.Json;

namespace Gateway.Cli.Protocol;

/// <summary>One server message (docs/protocol.md §5, §8): its <c>type</c> and the whole JSON object.</summary>
internal sealed class ServerMessage
{
    private ServerMessage(string type, JsonElement body)
    {
        Type = type;
        Body = body;
    }

    public string Type { get; }

    public JsonElement Body { get; }

    public static ServerMessage? Parse(ReadOnlySpan<byte> utf8)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8.ToArray());
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
                ? new ServerMessage(type.GetString()!, document.RootElement.Clone())
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public string? String(string name) =>
        Body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public double? Number(string name) =>
        Body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    public bool Flag(string name) =>
        Body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;
}
