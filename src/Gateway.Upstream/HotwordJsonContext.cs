using System.Text.Json.Serialization;

namespace Gateway.Upstream;

[JsonSerializable(typeof(SortedDictionary<string, int>))]
[JsonSerializable(typeof(string))]
internal sealed partial class HotwordJsonContext : JsonSerializerContext;
