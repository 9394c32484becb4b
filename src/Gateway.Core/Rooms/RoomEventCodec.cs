using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Core.Rooms;

/// <summary>
/// A room event as it travels through Redis: the <see cref="RoomEventData"/> as JSON (source-generated), without its
/// number, which Redis assigns. Every gateway decodes it once and renders it once for all its viewers.
/// </summary>
internal static class RoomEventCodec
{
    public static byte[] Encode(RoomEventData data) => JsonSerializer.SerializeToUtf8Bytes(data, RoomEventJsonContext.Default.RoomEventData);

    public static RoomEventData Decode(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, RoomEventJsonContext.Default.RoomEventData) ?? throw new JsonException("a room event is null");
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RoomEventData))]
internal sealed partial class RoomEventJsonContext : JsonSerializerContext;
