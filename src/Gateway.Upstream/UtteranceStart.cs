using System.Diagnostics.CodeAnalysis;

namespace Gateway.Upstream;

/// <summary>The outcome of <see cref="UpstreamClient.StartUtteranceAsync"/>: an utterance, or why none could be started.</summary>
public readonly record struct UtteranceStart(UpstreamUtterance? Utterance, UpstreamError Error)
{
    [MemberNotNullWhen(true, nameof(Utterance))]
    public bool Succeeded => Utterance is not null;
}
