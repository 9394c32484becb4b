using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Load.Report;

/// <summary>JSON settings of the <c>--json</c> summary: snake_case, indented; a histogram bound beyond the last bucket is written as "Infinity".</summary>
internal static class SummaryJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
