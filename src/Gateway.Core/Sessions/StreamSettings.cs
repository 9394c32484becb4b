using Gateway.Core.Audio;
using Gateway.Core.Segmentation;

namespace Gateway.Core.Sessions;

/// <summary>A session's stream configuration, from the query string and/or the client's start message.</summary>
public sealed record StreamSettings
{
    public static StreamSettings Default { get; } = new();

    public AudioFormat Format { get; init; } = AudioFormat.Pipeline;

    /// <summary>Language hint passed upstream; null lets the recogniser decide.</summary>
    public string? Language { get; init; }

    /// <summary>Hotwords with weights (FunASR's {"word": weight}); empty when none.</summary>
    public IReadOnlyDictionary<string, int> Hotwords { get; init; } = new Dictionary<string, int>();

    /// <summary>Whether partial results are sent. Default on.</summary>
    public bool InterimResults { get; init; } = true;

    /// <summary>The client's segmentation settings (checked against the server's bounds); null keeps the defaults.</summary>
    public SegmenterOverrides? Segmentation { get; init; }

    /// <summary>The meeting room this session speaks in (docs/rooms.md); null for an ordinary session.</summary>
    public string? Room { get; init; }

    /// <summary>The participant's name in <see cref="Room"/>, as viewers see it.</summary>
    public string? Speaker { get; init; }
}
