using FunAsr.Simulator.Content;
using FunAsr.Simulator.Faults;

namespace FunAsr.Simulator.Protocol;

/// <summary>Per-utterance decode state, created at the utterance's first audio (or its EOS) and dropped after its end.</summary>
internal sealed class Utterance(UtterancePlan plan)
{
    public UtterancePlan Plan { get; } = plan;

    public ContentRecognizer Recognizer { get; } = new();

    /// <summary>The drop fault already fired.</summary>
    public bool Dropped { get; set; }

    /// <summary>Processing side: the open sentence already had an online delta (next delta gets a leading space).</summary>
    public bool SentenceHasDelta { get; set; }

    /// <summary>Receive side: a "sent before final" violation was already recorded for this utterance.</summary>
    public bool EarlyReported { get; set; }

    /// <summary>Python: binary messages seen (online ASR runs every <c>chunk_interval</c> messages).</summary>
    public int Messages { get; set; }

    /// <summary>Python: words waiting for the next online ASR run.</summary>
    public List<string> PendingWords { get; } = [];

    /// <summary>Python: errors recorded for the <c>is_end</c> ack.</summary>
    public List<string> Errors { get; } = [];
}
