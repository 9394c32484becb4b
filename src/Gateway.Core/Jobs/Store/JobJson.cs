using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.Core.Results;

namespace Gateway.Core.Jobs.Store;

/// <summary>How both stores serialise records and segments (one format, so a record reads the same from either).</summary>
internal static class JobJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Write(JobRecord record) => JsonSerializer.Serialize(record, Options);

    public static JobRecord ReadRecord(string json) => JsonSerializer.Deserialize<JobRecord>(json, Options)!;

    public static string Write(TranscribedSegment segment) => JsonSerializer.Serialize(segment, Options);

    public static TranscribedSegment ReadSegment(string json) => JsonSerializer.Deserialize<TranscribedSegment>(json, Options)!;

    /// <summary>Sentences in seconds of the recording, from a transcription's sample positions.</summary>
    public static IReadOnlyList<JobSentence> Sentences(IEnumerable<Sentence> sentences) =>
        sentences.Select(s => new JobSentence(s.Text, Math.Round(s.StartSample / 16_000.0, 3), Math.Round(s.EndSample / 16_000.0, 3))).ToArray();
}
