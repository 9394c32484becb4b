using System.Text.Json;
using System.Text.Json.Serialization;
using BenchmarkDotNet.Attributes;
using Gateway.Upstream.Replies;

namespace Gateway.Benchmarks.Upstream;

/// <summary>Parsing one FunASR reply: key scan (tiered parser), Utf8JsonReader alone, and JsonSerializer into a DTO (reflection metadata, the usual way, and source-generated).</summary>
[MemoryDiagnoser]
public class ReplyParseBenchmarks
{
    private static readonly byte[] CppPartial =
        "{\"index\":0,\"is_final\":false,\"mode\":\"2pass-online\",\"slice_type\":1,\"text\":\"今天天气\",\"timestamp\":1755750000000,\"wav_name\":\"gw-1a2b3c-1234\"}"u8.ToArray();

    private static readonly byte[] CppSentence =
        "{\"end_time\":2350,\"index\":0,\"is_final\":false,\"mode\":\"2pass-offline\",\"slice_type\":2,\"start_time\":120,\"text\":\"今天天气不错。\",\"timestamp\":1755750000000,\"wav_name\":\"gw-1a2b3c-1234\"}"u8.ToArray();

    private static readonly byte[] PythonSentence =
        "{\"mode\": \"2pass-offline\", \"text\": \"今天天气不错。\", \"wav_name\": \"gw-1a2b3c-1234\", \"is_final\": true, \"timestamp\": [[120, 360]]}"u8.ToArray();

    private readonly byte[] _output = new byte[1024];
    private byte[] _json = [];

    [Params("cpp-partial", "cpp-sentence", "python-sentence")]
    public string Message { get; set; } = "cpp-partial";

    [GlobalSetup]
    public void Setup() => _json = Message switch
    {
        "cpp-sentence" => CppSentence,
        "python-sentence" => PythonSentence,
        _ => CppPartial,
    };

    [Benchmark]
    public bool KeyScan_Tiered() => FunAsrReplyParser.TryParse(_json, _output, out _);

    [Benchmark]
    public bool Utf8JsonReader_Only() => FunAsrReplyReader.TryRead(_json, _output, out _);

    [Benchmark(Baseline = true)]
    public ReplyDto? JsonSerializer_Deserialize() => JsonSerializer.Deserialize<ReplyDto>(_json, ReflectionOptions);

    [Benchmark]
    public ReplyDto? JsonSerializer_SourceGenerated() => JsonSerializer.Deserialize(_json, ReplyJsonContext.Default.ReplyDto);

    private static readonly JsonSerializerOptions ReflectionOptions = new() { TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver() };
}

public sealed class ReplyDto
{
    [JsonPropertyName("mode")] public string? Mode { get; set; }
    [JsonPropertyName("text")] public string? Text { get; set; }
    [JsonPropertyName("is_final")] public bool IsFinal { get; set; }
    [JsonPropertyName("is_end")] public bool IsEnd { get; set; }
    [JsonPropertyName("wav_name")] public string? WavName { get; set; }
    [JsonPropertyName("timestamp")] public JsonElement Timestamp { get; set; }
    [JsonPropertyName("stamp_sents")] public JsonElement StampSents { get; set; }
    [JsonPropertyName("slice_type")] public int? SliceType { get; set; }
    [JsonPropertyName("index")] public long? Index { get; set; }
    [JsonPropertyName("start_time")] public long? StartTime { get; set; }
    [JsonPropertyName("end_time")] public long? EndTime { get; set; }
}

[JsonSerializable(typeof(ReplyDto))]
internal sealed partial class ReplyJsonContext : JsonSerializerContext;
