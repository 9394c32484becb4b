namespace FunAsr.Simulator.Json;

/// <summary>How a reply is serialised, matching the server being simulated (funasr.md §4).</summary>
internal enum JsonStyle
{
    /// <summary>nlohmann <c>dump()</c>: compact, keys sorted alphabetically (std::map), raw UTF-8.</summary>
    CompactSorted,

    /// <summary>Python <c>json.dumps(..., ensure_ascii=False)</c>: <c>", "</c> and <c>": "</c> separators, insertion order.</summary>
    Python,
}
