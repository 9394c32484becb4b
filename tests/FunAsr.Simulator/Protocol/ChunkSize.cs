using System.Text.Json;

namespace FunAsr.Simulator.Protocol;

/// <summary>Validation of the <c>chunk_size</c> config field (funasr.md §3.1).</summary>
internal static class ChunkSize
{
    /// <summary>
    /// C++ 2pass (WS2:518-532): <c>get&lt;std::vector&lt;int&gt;&gt;()</c> outside a try block, then three values
    /// with a non-zero middle or "Wrong chunk_size!".
    /// </summary>
    public static ChunkSizeCheck CheckCpp(JsonElement value, out string canonical)
    {
        canonical = string.Empty;
        if (value.ValueKind != JsonValueKind.Array)
        {
            return ChunkSizeCheck.WrongType;
        }

        var values = new List<int>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out var n))
            {
                return ChunkSizeCheck.WrongType;
            }

            values.Add(n);
        }

        canonical = string.Join(',', values);
        return values.Count == 3 && values[1] != 0 ? ChunkSizeCheck.Valid : ChunkSizeCheck.Invalid;
    }

    /// <summary>Python (PYS): a list of ints or a string <c>"5,10,5"</c>.</summary>
    public static bool TryParsePython(JsonElement value, out int[] chunk)
    {
        chunk = [];
        if (value.ValueKind == JsonValueKind.String)
        {
            var parts = value.GetString()!.Split(',', StringSplitOptions.TrimEntries);
            var parsed = new int[parts.Length];
            for (var i = 0; i < parts.Length; i++)
            {
                if (!int.TryParse(parts[i], out parsed[i]))
                {
                    return false;
                }
            }

            chunk = parsed;
            return chunk.Length == 3;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        var list = new List<int>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out var n))
            {
                return false;
            }

            list.Add(n);
        }

        chunk = [.. list];
        return chunk.Length == 3;
    }
}
