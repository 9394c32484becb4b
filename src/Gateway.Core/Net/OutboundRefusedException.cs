namespace Gateway.Core.Net;

/// <summary>The outbound policy refused the address a connection would reach (thrown from the handler's connect callback).</summary>
public sealed class OutboundRefusedException : HttpRequestException
{
    public OutboundRefusedException(string message)
        : base(message)
    {
    }
}
