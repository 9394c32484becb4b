using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Gateway.Upstream;

/// <summary>
/// An immutable set of hotwords with weights. Hotwords are compiled once per connection by the C++ servers, so
/// connections are pooled per set: build one per distinct list and reuse it (equality is by content).
/// </summary>
public sealed class HotwordSet : IEquatable<HotwordSet>
{
    private readonly string _key;

    public HotwordSet(IEnumerable<KeyValuePair<string, int>> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        var sorted = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var (word, weight) in words)
        {
            if (!string.IsNullOrWhiteSpace(word))
            {
                sorted[word.Trim()] = weight;
            }
        }

        Words = sorted;
        // funasr.md §3.1: `hotwords` is a JSON *string* holding a JSON object of int weights.
        // Raw UTF-8 like the official clients send; the relaxed encoder still escapes quotes, backslashes and controls.
        var inner = Write(w =>
        {
            w.WriteStartObject();
            foreach (var (word, weight) in sorted)
            {
                w.WriteNumber(word, weight);
            }

            w.WriteEndObject();
        });
        _key = Encoding.UTF8.GetString(inner);
        ConfigValue = Write(w => w.WriteStringValue(_key));
    }

    public IReadOnlyDictionary<string, int> Words { get; }

    /// <summary>The quoted JSON string value sent as <c>"hotwords":</c>.</summary>
    internal ReadOnlyMemory<byte> ConfigValue { get; }

    public bool Equals(HotwordSet? other) => other is not null && other._key == _key;

    public override bool Equals(object? obj) => Equals(obj as HotwordSet);

    public override int GetHashCode() => _key.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => _key;

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
