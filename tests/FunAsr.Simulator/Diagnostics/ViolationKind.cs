namespace FunAsr.Simulator.Diagnostics;

/// <summary>Client behaviour the real servers punish (funasr.md §3, §5-§7). A well-behaved client causes none.</summary>
public enum ViolationKind
{
    /// <summary>A text message was not valid JSON (C++: poisons the connection, §6.1).</summary>
    InvalidJson,

    /// <summary>A text message was JSON but not an object.</summary>
    NotAnObject,

    /// <summary>A field had the wrong JSON type (§3.1 type strictness: the C++ server may abort).</summary>
    WrongJsonType,

    /// <summary>Audio arrived before the first config (2pass drops it, Python discards it; §6.2).</summary>
    AudioBeforeConfig,

    /// <summary>Audio or EOS on a 2pass connection whose config never carried a valid chunk_size: no result ever (§6.3).</summary>
    MissingChunkSize,

    /// <summary><c>chunk_size</c> was not three integers with a non-zero middle ("Wrong chunk_size!").</summary>
    InvalidChunkSize,

    /// <summary>A later config carried a different <c>chunk_size</c>; the C++ 2pass server ignores it (connection-scoped).</summary>
    ChunkSizeChanged,

    /// <summary>A later config carried different <c>hotwords</c>; the C++ servers ignore them (connection-scoped).</summary>
    HotwordsChanged,

    /// <summary>Python: a binary message while <c>mode</c> is not online/offline/2pass; it is ignored.</summary>
    InvalidMode,

    /// <summary>A second end of utterance before the previous utterance's terminal message was sent (§7.1).</summary>
    EosBeforeFinal,

    /// <summary>Audio or config of the next utterance before the previous utterance's terminal message was sent (§7.1).</summary>
    SentBeforeFinal,

    /// <summary>An utterance ended with an odd number of audio bytes; the trailing byte is dropped (§3.2).</summary>
    OddAudioLength,
}
