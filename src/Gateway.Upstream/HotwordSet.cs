using System.Text;
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
        var inner = JsonSerializer.Serialize(sorted, HotwordJsonContext.Default.SortedDictionaryStringInt32);
        _key = inner;
        ConfigValue = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(inner, HotwordJsonContext.Default.String));
    }

    public IReadOnlyDictionary<string, int> Words { get; }

    /// <summary>The quoted JSON string value sent as <c>"hotwords":</c>.</summary>
    internal ReadOnlyMemory<byte> ConfigValue { get; }

    public bool Equals(HotwordSet? other) => other is not null && other._key == _key;

    public override bool Equals(object? obj) => Equals(obj as HotwordSet);

    public override int GetHashCode() => _key.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => _key;
}
