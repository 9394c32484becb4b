namespace Gateway.Core.Sessions;

/// <summary>Bad input from a client: what to tell it and how to close.</summary>
public sealed record ClientError(string Code, string Message, int CloseCode)
{
    public static ClientError InvalidJson(string detail) =>
        new(ErrorCodes.InvalidJson, $"message is not valid JSON: {detail}", CloseCodes.InvalidPayload);

    public static ClientError InvalidConfig(string message) => new(ErrorCodes.InvalidConfig, message, CloseCodes.InvalidPayload);
}
