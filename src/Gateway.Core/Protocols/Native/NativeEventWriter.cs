using System.Text.Json;
using Gateway.Core.Results;
using Gateway.Core.Sessions;

namespace Gateway.Core.Protocols.Native;

/// <summary>Renders the speech and result events of the native protocol (docs/protocol.md §8).</summary>
internal static class NativeEventWriter
{
    public static void Write(Utf8JsonWriter json, ServerEvent serverEvent)
    {
        switch (serverEvent)
        {
            case SpeechStartedEvent started:
                json.WriteString("type", "speech_started");
                json.WriteNumber("segment_id", started.SegmentId);
                json.WriteNumber("start_ms", Ms(started.StartSample));
                break;
            case SpeechEndedEvent ended:
                json.WriteString("type", "speech_ended");
                json.WriteNumber("segment_id", ended.SegmentId);
                json.WriteNumber("start_ms", Ms(ended.StartSample));
                json.WriteNumber("end_ms", Ms(ended.EndSample));
                json.WriteString("cause", ended.Cause);
                break;
            case PartialEvent partial:
                json.WriteString("type", "partial");
                json.WriteNumber("segment_id", partial.SegmentId);
                json.WriteString("text", partial.Text);
                json.WriteNumber("start_ms", Ms(partial.StartSample));
                json.WriteNumber("end_ms", Ms(partial.EndSample));
                break;
            case FinalEvent final:
                json.WriteString("type", "final");
                json.WriteNumber("segment_id", final.SegmentId);
                json.WriteString("text", final.Text);
                json.WriteNumber("start_ms", Ms(final.StartSample));
                json.WriteNumber("end_ms", Ms(final.EndSample));
                json.WriteStartArray("sentences");
                foreach (var sentence in final.Sentences)
                {
                    json.WriteStartObject();
                    json.WriteString("text", sentence.Text);
                    json.WriteNumber("start_ms", Ms(sentence.StartSample));
                    json.WriteNumber("end_ms", Ms(sentence.EndSample));
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                if (final.Delay is { } delay)
                {
                    // Held through an upstream failure or outage: the words are whole, but they are late.
                    json.WriteBoolean("late", true);
                    json.WriteNumber("delay_ms", Math.Round(delay.TotalMilliseconds));
                }

                break;
            case SegmentQueuedEvent queued:
                json.WriteString("type", "queued");
                json.WriteNumber("segment_id", queued.SegmentId);
                json.WriteNumber("position", queued.Position);
                break;
            case SegmentFailedEvent failed:
                json.WriteString("type", "error");
                json.WriteString("code", failed.Code);
                json.WriteString("message", failed.Message);
                json.WriteBoolean("fatal", false);
                json.WriteNumber("segment_id", failed.SegmentId);
                json.WriteNumber("start_ms", Ms(failed.StartSample));
                json.WriteNumber("end_ms", Ms(failed.EndSample));
                break;
            default:
                throw new ArgumentException($"The native protocol has no rendering for {serverEvent.GetType().Name}.", nameof(serverEvent));
        }
    }

    private static double Ms(long samples) => samples / 16.0;
}
