using System.Text.Encodings.Web;
using System.Text.Json;
using Gateway.Core.Results;

namespace Gateway.Core.Protocols.FunAsr;

/// <summary>
/// FunASR server messages as the C++ servers write them (nlohmann <c>dump()</c>): compact, keys in alphabetical
/// order, raw UTF-8. Each method writes the keys in sorted order by hand; <c>timestamp</c> is never written
/// (the HTML5 client parses it as a token list, and the gateway has no token times).
/// </summary>
internal static class FunAsrMessages
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>2pass intermediate: the new text of a streaming partial (<c>2pass-online</c>).</summary>
    public static void Online(MessageBatch output, string delta, string wavName)
    {
        using var json = Begin(output);
        json.WriteBoolean("is_final", false);
        json.WriteString("mode", FunAsrModes.TwoPassOnline);
        json.WriteString("text", delta);
        json.WriteString("wav_name", wavName);
        End(json, output);
    }

    /// <summary>2pass intermediate: one whole sentence (<c>2pass-offline</c>), times in ms from the utterance start.</summary>
    public static void Sentence(MessageBatch output, string text, long startMs, long endMs, string wavName)
    {
        using var json = Begin(output);
        json.WriteNumber("end_time", endMs);
        json.WriteBoolean("is_final", false);
        json.WriteString("mode", FunAsrModes.TwoPassOffline);
        json.WriteNumber("start_time", startMs);
        json.WriteString("text", text);
        json.WriteString("wav_name", wavName);
        End(json, output);
    }

    /// <summary>2pass terminal message, exactly one per end of speech; every text was sent before it.</summary>
    public static void TwoPassFinal(MessageBatch output, string wavName)
    {
        using var json = Begin(output);
        json.WriteBoolean("is_final", true);
        json.WriteString("text", "");
        json.WriteString("wav_name", wavName);
        End(json, output);
    }

    /// <summary>Offline result, exactly one per end of speech, also for empty audio.</summary>
    public static void OfflineResult(MessageBatch output, bool isFinal, string text, string wavName)
    {
        using var json = Begin(output);
        json.WriteBoolean("is_final", isFinal);
        json.WriteString("mode", FunAsrModes.Offline);
        json.WriteString("text", text);
        json.WriteString("wav_name", wavName);
        End(json, output);
    }

    /// <summary>
    /// The <c>is_end</c> acknowledgement of the Python server: <c>is_final</c> false and an <c>error</c> when part of
    /// the utterance could not be transcribed.
    /// </summary>
    public static void Ack(MessageBatch output, string mode, string wavName, string? error)
    {
        using var json = Begin(output);
        if (error is not null)
        {
            json.WriteString("error", error);
        }

        json.WriteBoolean("is_end", true);
        json.WriteBoolean("is_final", error is null);
        json.WriteString("mode", mode);
        json.WriteString("wav_name", wavName);
        End(json, output);
    }

    /// <summary>
    /// A refusal or fatal error, shaped like the reference's only error (<c>{"is_final":true,"text":"ERROR. ..."}</c>)
    /// so every client shows it and stops waiting, plus a machine-readable <c>error</c> code; a close follows.
    /// </summary>
    public static void Error(MessageBatch output, string code, string message, string wavName)
    {
        using var json = Begin(output);
        json.WriteString("error", code);
        json.WriteBoolean("is_final", true);
        json.WriteString("text", "ERROR. " + message);
        json.WriteString("wav_name", wavName);
        End(json, output);
    }

    private static Utf8JsonWriter Begin(MessageBatch output)
    {
        var json = new Utf8JsonWriter(output, Options);
        json.WriteStartObject();
        return json;
    }

    private static void End(Utf8JsonWriter json, MessageBatch output)
    {
        json.WriteEndObject();
        json.Flush();
        output.EndMessage();
    }
}
