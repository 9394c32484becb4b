using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Gateway.Core.Results;
using Gateway.Core.Sessions;

namespace Gateway.Core.Protocols.Deepgram;

/// <summary>Rendering: the send loop's side. All state here belongs to the send loop alone.</summary>
internal sealed partial class DeepgramProtocol
{
    private const double SampleRate = 16_000.0;

    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly DateTimeOffset _created;
    private readonly Dictionary<long, string> _endCauses = [];
    private string? _modelUuid;

    private string ModelUuid => _modelUuid ??= DeepgramModel.Uuid(_listen.Model);

    public void Write(MessageBatch output, ServerEvent serverEvent)
    {
        switch (serverEvent)
        {
            case SpeechStartedEvent started when _listen.VadEvents:
                Message(output, json =>
                {
                    json.WriteString("type", "SpeechStarted");
                    WriteChannel(json, "channel");
                    json.WriteNumber("timestamp", Seconds(started.StartSample));
                });
                break;
            case SpeechEndedEvent ended:
                _endCauses[ended.SegmentId] = ended.Cause;
                break;
            case PartialEvent update when _listen.Settings.InterimResults:
                Results(output, update.Text, update.StartSample, update.EndSample, isFinal: false, speechFinal: false, fromFinalize: false);
                break;
            case FinalEvent final:
                OnFinal(output, final);
                break;
            case FlushedEvent flushed when Interlocked.Exchange(ref _finalizeRequested, 0) == 1:
                // Finalize with nothing buffered still answers, so a client waiting for from_finalize is not left hanging.
                Results(output, "", flushed.AudioSamples, flushed.AudioSamples, isFinal: true, speechFinal: false, fromFinalize: true);
                break;
            case SegmentFailedEvent failed:
                Message(output, json =>
                {
                    json.WriteString("type", "Error");
                    json.WriteString("variant", failed.Code);
                    json.WriteString("description", $"speech from {Seconds(failed.StartSample)} s to {Seconds(failed.EndSample)} s could not be transcribed: {failed.Message}");
                    json.WriteString("message", failed.Code);
                });
                break;
            case ErrorEvent error:
                Message(output, json =>
                {
                    json.WriteString("type", error.Fatal ? "Error" : "Warning");
                    json.WriteString("variant", error.Code);
                    json.WriteString("description", error.Message);
                    json.WriteString("message", error.Code);
                });
                break;
            case OverflowEvent overflow:
                Message(output, json =>
                {
                    json.WriteString("type", "Warning");
                    json.WriteString("variant", ErrorCodes.AudioOverflow);
                    json.WriteString("description", string.Create(
                        CultureInfo.InvariantCulture,
                        $"audio arrived faster than it could be buffered; {overflow.DroppedSamples / 16} ms were dropped and not transcribed"));
                    json.WriteString("message", ErrorCodes.AudioOverflow);
                });
                break;
            case StreamClosedEvent closed when _channel == 0:
                WriteMetadata(output, closed.AudioSamples);
                break;
            default:
                break; // ready, wait and disconnect: Deepgram says these with the handshake status or the close frame
        }
    }

    private void OnFinal(MessageBatch output, FinalEvent final)
    {
        var cause = _endCauses.Remove(final.SegmentId, out var c) ? c : "";
        var fromFinalize = cause == "finalize";
        if (fromFinalize)
        {
            Volatile.Write(ref _finalizeRequested, 0);
        }

        // A segment closed at the speech end (Segmenter:CloseAtSpeechEnd) is Deepgram's endpoint as much as one
        // closed after the endpoint silence: Deepgram's own endpointing fires at a short pause.
        var endpointed = cause is "endpoint" or "speech_end";
        var speechFinal = _listen.Endpointing && endpointed;
        if (final.Sentences.Count <= 1)
        {
            Results(output, final.Text, final.StartSample, final.EndSample, true, speechFinal, fromFinalize);
        }
        else
        {
            // Several sentences: several finals, contiguous, the endpoint on the last (Deepgram's own pattern).
            for (var i = 0; i < final.Sentences.Count; i++)
            {
                var sentence = final.Sentences[i];
                var last = i == final.Sentences.Count - 1;
                var start = i == 0 ? final.StartSample : sentence.StartSample;
                var end = last ? final.EndSample : final.Sentences[i + 1].StartSample;
                Results(output, sentence.Text, start, Math.Max(start, end), true, speechFinal && last, fromFinalize && last);
                output.EndMessage();
            }
        }

        if (_listen.UtteranceEndMs is not null && endpointed && final.Text.Length > 0)
        {
            output.EndMessage();
            Message(output, json =>
            {
                json.WriteString("type", "UtteranceEnd");
                WriteChannel(json, "channel");
                json.WriteNumber("last_word_end", Seconds(LastWordEnd(final)));
            });
        }
    }

    private static long LastWordEnd(FinalEvent final) => final.Sentences.Count > 0 ? final.Sentences[^1].EndSample : final.EndSample;

    private void Results(MessageBatch output, string text, long startSample, long endSample, bool isFinal, bool speechFinal, bool fromFinalize)
    {
        var tokens = DeepgramWords.Tokens(text);
        var start = Seconds(startSample);
        var end = Seconds(endSample);
        Message(output, json =>
        {
            json.WriteString("type", "Results");
            WriteChannel(json, "channel_index");
            json.WriteNumber("duration", Math.Round(end - start, 3));
            json.WriteNumber("start", start);
            json.WriteBoolean("is_final", isFinal);
            json.WriteBoolean("speech_final", speechFinal);
            json.WriteBoolean("from_finalize", fromFinalize);
            json.WriteStartObject("channel");
            json.WriteStartArray("alternatives");
            json.WriteStartObject();
            json.WriteString("transcript", _listen.Punctuate ? text.Trim() : DeepgramWords.Unpunctuated(tokens));
            json.WriteNumber("confidence", tokens.Count > 0 ? DeepgramWords.Confidence : 0);
            DeepgramWords.Write(json, tokens, start, end, _listen.Punctuate);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteStartObject("metadata");
            json.WriteString("request_id", _listen.RequestId);
            json.WriteString("model_uuid", ModelUuid);
            json.WriteStartObject("model_info");
            DeepgramModel.WriteInfo(json, _listen.Model);
            json.WriteEndObject();
            if (_listen.Extra.Count > 0)
            {
                json.WriteStartObject("extra");
                foreach (var (key, value) in _listen.Extra)
                {
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
        });
    }

    private void WriteMetadata(MessageBatch output, long audioSamples) =>
        Message(output, json =>
        {
            json.WriteString("type", "Metadata");
            DeepgramModel.WriteSummary(json, _listen, _created, audioSamples / SampleRate, _listen.Streams);
        });

    private void WriteChannel(Utf8JsonWriter json, string name)
    {
        json.WriteStartArray(name);
        json.WriteNumberValue(_channel);
        json.WriteNumberValue(_listen.Streams);
        json.WriteEndArray();
    }

    private static double Seconds(long samples) => Math.Round(samples / SampleRate, 3);

    private static void Message(MessageBatch output, Action<Utf8JsonWriter> body)
    {
        using var json = new Utf8JsonWriter(output, JsonOptions);
        json.WriteStartObject();
        body(json);
        json.WriteEndObject();
    }
}
