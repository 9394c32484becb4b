using System.Text;
using System.Text.Json;
using Gateway.Core.Protocols.Deepgram;

namespace Gateway.UnitTests.Protocols.Deepgram;

public sealed class DeepgramWordsTests
{
    [Fact]
    public void Write_NoWordTimes_SpreadContiguouslyByLengthInsideTheSentence()
    {
        var words = Render("Hello, big world.", 1.0, 2.5, punctuate: true);

        Assert.Equal(["hello", "big", "world"], words.Select(w => w.GetProperty("word").GetString()));
        Assert.Equal(["Hello,", "big", "world."], words.Select(w => w.GetProperty("punctuated_word").GetString()));
        Assert.Equal(1.0, words[0].GetProperty("start").GetDouble());
        Assert.Equal(2.5, words[^1].GetProperty("end").GetDouble());
        for (var i = 1; i < words.Count; i++)
        {
            Assert.Equal(words[i - 1].GetProperty("end").GetDouble(), words[i].GetProperty("start").GetDouble());
        }

        Assert.True(words[0].GetProperty("end").GetDouble() - 1.0 > words[1].GetProperty("end").GetDouble() - words[1].GetProperty("start").GetDouble());
    }

    [Fact]
    public void Tokens_Cjk_EachCharacterAWordWithItsPunctuation()
    {
        Assert.Equal(["你", "好，", "世", "界。"], DeepgramWords.Tokens("你好，世界。"));
        Assert.Equal("你好世界", DeepgramWords.Unpunctuated(DeepgramWords.Tokens("你好，世界。")));
    }

    [Fact]
    public void Unpunctuated_Latin_LowerCaseWithoutPunctuation()
    {
        Assert.Equal("hello big world", DeepgramWords.Unpunctuated(DeepgramWords.Tokens("Hello, big world.")));
    }

    private static List<JsonElement> Render(string text, double start, double end, bool punctuate)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            DeepgramWords.Write(json, DeepgramWords.Tokens(text), start, end, punctuate);
            json.WriteEndObject();
        }

        return [.. JsonDocument.Parse(Encoding.UTF8.GetString(stream.ToArray())).RootElement.GetProperty("words").EnumerateArray()];
    }
}
