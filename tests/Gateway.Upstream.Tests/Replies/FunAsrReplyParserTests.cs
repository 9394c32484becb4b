using System.Text;
using System.Text.Json;
using Gateway.Upstream.Replies;

namespace Gateway.Upstream.Tests.Replies;

public class FunAsrReplyParserTests
{
    [Theory]
    [InlineData("{\"index\":0,\"is_final\":false,\"mode\":\"2pass-online\",\"slice_type\":0,\"text\":\"今天\",\"timestamp\":1755750000000,\"wav_name\":\"utt-1\"}")]
    [InlineData("{\"end_time\":2350,\"index\":0,\"is_final\":false,\"mode\":\"2pass-offline\",\"slice_type\":2,\"start_time\":120,\"text\":\"今天天气不错。\",\"timestamp\":1755750000000,\"wav_name\":\"utt-1\"}")]
    [InlineData("{\"is_final\":true,\"text\":\"\",\"timestamp\":1755750000000,\"wav_name\":\"utt-1\"}")]
    [InlineData("{\"is_final\":false,\"mode\":\"offline\",\"text\":\"\",\"wav_name\":\"utt-1\"}")]
    public void TryScan_CppCompactReplies_TakesFastPath(string json)
    {
        var output = new byte[json.Length * 3];

        Assert.True(FunAsrReplyScanner.TryScan(Encoding.UTF8.GetBytes(json), output, out _));
    }

    [Fact]
    public void TryParse_TwoPassOffline_ReadsEveryField()
    {
        var json = "{\"end_time\":2350,\"index\":3,\"is_final\":false,\"mode\":\"2pass-offline\",\"slice_type\":2,\"start_time\":120,\"text\":\"今天天气不错。\",\"timestamp\":1755750000000,\"wav_name\":\"utt-1\"}"u8;
        var output = new byte[json.Length];

        Assert.True(FunAsrReplyParser.TryParse(json, output, out var r));

        Assert.Equal((FunAsrReplyMode.Offline, false, 2, 3L, 120L, 2350L), (r.Mode, r.IsFinal, r.SliceType, r.Index, r.StartTime, r.EndTime));
        Assert.Equal((FunAsrValueKind.Integer, 1755750000000L), (r.TimestampKind, r.TimestampValue));
        Assert.Equal("今天天气不错。", Encoding.UTF8.GetString(r.Text(output)));
        Assert.Equal("utt-1", Encoding.UTF8.GetString(r.WavName(output)));
    }

    [Fact]
    public void TryParse_PythonSpacingAndArrayTimestamp_FallsBackToReader()
    {
        var json = "{\"mode\": \"2pass-offline\", \"spk_name\": \"unknown\", \"spk_score\": 0.0, \"text\": \"今天天气不错。\", \"wav_name\": \"utt-1\", \"is_final\": true, \"timestamp\": [[120, 360]]}"u8;
        var output = new byte[json.Length];

        Assert.False(FunAsrReplyScanner.TryScan(json, output, out _));
        Assert.True(FunAsrReplyParser.TryParse(json, output, out var r));

        Assert.Equal((FunAsrReplyMode.Offline, true, FunAsrValueKind.Array), (r.Mode, r.IsFinal, r.TimestampKind));
        Assert.Equal("[[120, 360]]", Encoding.UTF8.GetString(r.TimestampRaw(json)));
        Assert.Equal("今天天气不错。", Encoding.UTF8.GetString(r.Text(output)));
    }

    [Fact]
    public void TryParse_OfflineWithStampSents_KeepsStringTimestampRaw()
    {
        var json = "{\"is_final\":false,\"mode\":\"offline\",\"stamp_sents\":[{\"end\":1130,\"punc\":\",\",\"start\":430,\"text_seg\":\"正 是\",\"ts_list\":[[430,670],[670,810]]}],\"text\":\"正是因为\",\"timestamp\":\"[[430,670],[670,810]]\",\"wav_name\":\"utt-1\"}"u8;
        var output = new byte[json.Length];

        Assert.True(FunAsrReplyParser.TryParse(json, output, out var r));

        Assert.Equal((FunAsrValueKind.String, FunAsrValueKind.Array), (r.TimestampKind, r.StampSentsKind));
        Assert.Equal("[[430,670],[670,810]]", Encoding.UTF8.GetString(r.TimestampRaw(json)));
        Assert.StartsWith("[{\"end\":1130", Encoding.UTF8.GetString(r.StampSentsRaw(json)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"text\":\"a\"")]
    [InlineData("{\"text\":\"a\",}")]
    [InlineData("{\"is_final\":\"true\"}")]
    [InlineData("{\"index\":1.5}")]
    [InlineData("[1]")]
    [InlineData("{\"text\":\"a\"}x")]
    [InlineData("")]
    public void TryParse_InvalidReply_ReturnsFalse(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);

        Assert.False(FunAsrReplyParser.TryParse(bytes, new byte[bytes.Length + 1], out _));
    }

    /// <summary>The property: on generated messages the tiered parser (scan, else reader) agrees with the reader alone, and both agree with JsonDocument.</summary>
    [Fact]
    public void TryParse_GeneratedMessages_ScanAndReaderAgree()
    {
        var random = new Random(2026);
        var scanned = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var json = Encoding.UTF8.GetBytes(Generate(random));
            var a = new byte[json.Length];
            var b = new byte[json.Length];

            var fast = FunAsrReplyParser.TryParse(json, a, out var tiered);
            var full = FunAsrReplyReader.TryRead(json, b, out var reference);
            scanned += FunAsrReplyScanner.TryScan(json, new byte[json.Length], out _) ? 1 : 0;

            var text = Encoding.UTF8.GetString(json);
            Assert.True(fast == full, text);
            if (!fast)
            {
                continue;
            }

            Assert.True(tiered.Text(a).SequenceEqual(reference.Text(b)), text);
            Assert.True(tiered.WavName(a).SequenceEqual(reference.WavName(b)), text);
            Assert.True(tiered.TimestampRaw(json).SequenceEqual(reference.TimestampRaw(json)), text);
            Assert.True(tiered.StampSentsRaw(json).SequenceEqual(reference.StampSentsRaw(json)), text);
            Assert.Equal(Normalize(reference), Normalize(tiered));

            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.TryGetProperty("text", out var t))
            {
                Assert.Equal(t.GetString(), Encoding.UTF8.GetString(reference.Text(b)));
            }
        }

        Assert.True(scanned > 2_000, $"the key scan took only {scanned} messages");
    }

    private static FunAsrReply Normalize(FunAsrReply r) => r with
    {
        TextStart = 0, WavNameStart = 0, TimestampRawStart = 0, StampSentsRawStart = 0,
    };

    private static readonly string[] Texts = ["", "今天", "hello world", "a\\\"b", "tab\\there", "\\u4eca\\u5929", "[noise]", "{x}", "ok, fine: yes", "emoji 😀"];
    private static readonly string[] Modes = ["2pass-online", "2pass-offline", "online", "offline", "2pass", "weird"];

    private static string Generate(Random random)
    {
        var python = random.Next(4) == 0;
        var colon = python ? ": " : ":";
        var comma = python ? ", " : ",";
        var members = new List<string>();
        void Add(string key, string value)
        {
            if (random.Next(3) != 0)
            {
                members.Add($"\"{key}\"{colon}{value}");
            }
        }

        Add("mode", $"\"{Modes[random.Next(Modes.Length)]}\"");
        Add("text", $"\"{Texts[random.Next(Texts.Length)]}\"");
        Add("is_final", random.Next(2) == 0 ? "true" : "false");
        Add("is_end", random.Next(2) == 0 ? "true" : "false");
        Add("wav_name", $"\"utt-{random.Next(1000)}\"");
        Add("index", random.Next(5000).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("slice_type", random.Next(3).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("start_time", random.Next(-1, 100_000).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("end_time", random.Next(100_000).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("timestamp", random.Next(3) switch
        {
            0 => "1755750000000",
            1 => "\"[[430,670],[670,810]]\"",
            _ => $"[[120{comma}360]]",
        });
        Add("stamp_sents", random.Next(2) == 0 ? "\"\"" : "[{\"start\":1,\"ts_list\":[[1,2]]}]");
        Add("spk_score", random.Next(2) == 0 ? "0.0" : "null");
        if (random.Next(20) == 0)
        {
            members.Add($"\"index\"{colon}\"bad\"");
        }

        members = [.. members.OrderBy(_ => random.Next())];
        var json = "{" + string.Join(comma, members) + "}";
        return random.Next(50) == 0 ? json[..(json.Length / 2)] : json;
    }
}
