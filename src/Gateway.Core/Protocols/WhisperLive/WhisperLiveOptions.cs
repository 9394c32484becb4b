namespace Gateway.Core.Protocols.WhisperLive;

/// <summary>The WhisperLive-compatible endpoint. Section <c>WhisperLive</c>.</summary>
public sealed class WhisperLiveOptions
{
    public const string Section = "WhisperLive";

    /// <summary>
    /// The language reported in the one <c>language</c> message sent to a client that asked for auto-detection
    /// (<c>"language": null</c>); the gateway does not detect languages itself. Default <c>en</c>.
    /// </summary>
    public string DefaultLanguage { get; set; } = "en";
}
