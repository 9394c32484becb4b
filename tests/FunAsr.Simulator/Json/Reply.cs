using System.Globalization;
using System.Text;

namespace FunAsr.Simulator.Json;

/// <summary>
/// A JSON object built in insertion order and rendered in the style of the simulated server.
/// Values are <see cref="string"/>, <see cref="long"/>, <see cref="int"/>, <see cref="bool"/>,
/// <see cref="double"/>, <see cref="Reply"/> or a list of those.
/// </summary>
/// <remarks>Hand-written because neither System.Text.Json nor a sorted dictionary reproduce both styles byte for byte.</remarks>
internal sealed class Reply
{
    private readonly List<KeyValuePair<string, object>> _members = [];

    public Reply Add(string key, object value)
    {
        _members.Add(new(key, value));
        return this;
    }

    public string ToJson(JsonStyle style)
    {
        var sb = new StringBuilder(128);
        Write(sb, this, style);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, object value, JsonStyle style)
    {
        var python = style == JsonStyle.Python;
        switch (value)
        {
            case string s:
                WriteString(sb, s);
                break;
            case bool b:
                sb.Append(b ? "true" : "false");
                break;
            case int i:
                sb.Append(i.ToString(CultureInfo.InvariantCulture));
                break;
            case long l:
                sb.Append(l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                // Python repr keeps ".0" on whole numbers (0.0); nlohmann would too for our values.
                sb.Append(d == Math.Floor(d) && Math.Abs(d) < 1e15
                    ? d.ToString("0.0", CultureInfo.InvariantCulture)
                    : d.ToString("R", CultureInfo.InvariantCulture));
                break;
            case Reply r:
                var members = python
                    ? r._members
                    : [.. r._members.OrderBy(m => m.Key, StringComparer.Ordinal)];
                sb.Append('{');
                for (var i = 0; i < members.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(python ? ", " : ",");
                    }

                    WriteString(sb, members[i].Key);
                    sb.Append(python ? ": " : ":");
                    Write(sb, members[i].Value, style);
                }

                sb.Append('}');
                break;
            case System.Collections.IEnumerable list:
                sb.Append('[');
                var first = true;
                foreach (var item in list)
                {
                    if (!first)
                    {
                        sb.Append(python ? ", " : ",");
                    }

                    first = false;
                    Write(sb, item!, style);
                }

                sb.Append(']');
                break;
            default:
                throw new ArgumentException($"Unsupported JSON value type {value.GetType()}.", nameof(value));
        }
    }

    // Both nlohmann (ensure_ascii=false) and Python (ensure_ascii=False) escape only the quote,
    // the backslash and control characters below 0x20; everything else goes out as raw UTF-8.
    private static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }
}
