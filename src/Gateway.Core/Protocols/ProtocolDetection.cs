using System.Net.WebSockets;
using System.Text.Json;
using Gateway.Core.Sessions;

namespace Gateway.Core.Protocols;

/// <summary>Which protocol a connection on the root path speaks, judged from its first message.</summary>
public enum DetectedProtocol
{
    Unknown,
    WhisperLive,
    FunAsr,
    Native,
}

/// <summary>
/// Both ecosystems' clients connect to <c>/</c>. A WhisperLive client's first message is its options, always with
/// <c>uid</c>; a FunASR client's is a config (keys such as <c>chunk_size</c>, <c>wav_name</c>, <c>is_speaking</c>,
/// <c>mode</c>) or audio; the native protocol's is <c>{"type":"start"}</c>.
/// </summary>
public static class ProtocolDetection
{
    private static readonly string[] FunAsrKeys =
    [
        "chunk_size", "chunk_interval", "wav_name", "wav_format", "is_speaking", "is_finished", "mode", "audio_fs",
        "encoder_chunk_look_back", "decoder_chunk_look_back", "itn", "svs_lang", "svs_itn",
    ];

    private static readonly string[] WhisperLiveKeys = ["uid", "language", "task", "model", "use_vad", "send_last_n_segments"];

    public static DetectedProtocol Detect(FirstMessageResult first)
    {
        if (first.Status != FirstMessageStatus.Received)
        {
            return DetectedProtocol.Unknown;
        }

        if (first.Type == WebSocketMessageType.Binary)
        {
            return DetectedProtocol.FunAsr; // only FunASR clients may stream audio before any config
        }

        try
        {
            using var document = JsonDocument.Parse(first.Message);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return DetectedProtocol.Unknown;
            }

            if (root.TryGetProperty("uid", out _))
            {
                return DetectedProtocol.WhisperLive;
            }

            if (FunAsrKeys.Any(key => root.TryGetProperty(key, out _)))
            {
                return DetectedProtocol.FunAsr;
            }

            if (root.TryGetProperty("type", out _))
            {
                return DetectedProtocol.Native;
            }

            // WhisperLive options without a uid: its endpoint answers with the missing key.
            return WhisperLiveKeys.Any(key => root.TryGetProperty(key, out _)) ? DetectedProtocol.WhisperLive : DetectedProtocol.Unknown;
        }
        catch (JsonException)
        {
            return DetectedProtocol.Unknown;
        }
    }
}
