using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Gateway.Core.Protocols.Deepgram;

/// <summary>
/// What Deepgram's <c>model_info</c> reports: the model the client named (FunASR decides what actually runs), a
/// stable uuid derived from that name, version <c>gateway</c>, arch <c>funasr</c>.
/// </summary>
internal static class DeepgramModel
{
    public const string Version = "gateway";
    public const string Arch = "funasr";

    public static string Uuid(string model) => new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(model)).AsSpan(0, 16)).ToString();

    public static void WriteInfo(Utf8JsonWriter json, string model)
    {
        json.WriteString("name", model);
        json.WriteString("version", Version);
        json.WriteString("arch", Arch);
    }

    /// <summary>The summary fields shared by the live <c>Metadata</c> message and the prerecorded response's <c>metadata</c>.</summary>
    public static void WriteSummary(Utf8JsonWriter json, DeepgramListen listen, DateTimeOffset created, double durationSeconds, int channels)
    {
        var uuid = Uuid(listen.Model);
        json.WriteString("transaction_key", "deprecated");
        json.WriteString("request_id", listen.RequestId);
        json.WriteString("sha256", ""); // not computed: hashing all the audio is not worth a field clients do not read
        json.WriteString("created", created.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
        json.WriteNumber("duration", Math.Round(durationSeconds, 3));
        json.WriteNumber("channels", channels);
        json.WriteStartArray("models");
        json.WriteStringValue(uuid);
        json.WriteEndArray();
        json.WriteStartObject("model_info");
        json.WriteStartObject(uuid);
        WriteInfo(json, listen.Model);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
