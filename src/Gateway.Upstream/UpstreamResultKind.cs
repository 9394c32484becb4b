namespace Gateway.Upstream;

/// <summary>The kind of an <see cref="UpstreamResult"/>.</summary>
public enum UpstreamResultKind
{
    /// <summary>Streaming delta (2pass-online / online): append to the running partial.</summary>
    Partial,

    /// <summary>A whole punctuated sentence (2pass-offline / offline): final for that stretch of speech.</summary>
    Sentence,

    /// <summary>The server finished the utterance.</summary>
    Completed,

    /// <summary>The utterance failed; see <see cref="UpstreamResult.Error"/>.</summary>
    Failed,
}
