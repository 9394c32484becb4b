using Gateway.Core.Results;

namespace Gateway.Core.Sessions;

/// <summary>Bad input or a failure. Fatal errors are followed by a close.</summary>
public sealed record ErrorEvent(string Code, string Message, bool Fatal) : ServerEvent;
