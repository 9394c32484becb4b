using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.FunctionalTests.Infrastructure;

namespace Gateway.FunctionalTests.Rooms;

/// <summary>The rooms' HTTP calls, as a client of docs/rooms.md makes them.</summary>
internal static class RoomApi
{
    public static async Task<(HttpStatusCode Status, JsonElement Body)> CreateAsync(TestGateway gateway, object settings)
    {
        using var http = new HttpClient { BaseAddress = gateway.Http, Timeout = StreamClient.Timeout };
        using var response = await http.PostAsJsonAsync("/v1/rooms", settings);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    public static async Task<(HttpStatusCode Status, string Body, string? ContentType)> GetAsync(TestGateway gateway, string path, string? lastEventId = null)
    {
        using var http = new HttpClient { BaseAddress = gateway.Http, Timeout = StreamClient.Timeout };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }

        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);
    }

    public static string Participant(string room, string speaker) => $"?room={Uri.EscapeDataString(room)}&speaker={Uri.EscapeDataString(speaker)}";

    public static string Type(JsonElement message) => message.GetProperty("type").GetString()!;

    /// <summary>Words of a final's text, without the sentence's closing period.</summary>
    public static IEnumerable<string> Words(JsonElement final) =>
        final.GetProperty("text").GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => w.TrimEnd('.'));
}
