using Gateway.Core.Results;

namespace Gateway.Core.Sessions;

/// <summary>A finalize was handled: every result for audio before <see cref="AudioSamples"/> has been sent.</summary>
public sealed record FlushedEvent(long AudioSamples) : ServerEvent;
