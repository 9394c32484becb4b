using System.Globalization;

namespace Gateway.Core.Sessions;

/// <summary>
/// The client's frame header declared a payload over the message limit; <see cref="FrameLimitStream"/> already sent
/// close 1009. It reaches the session as the inner exception of the WebSocket's receive failure.
/// </summary>
public sealed class ClientFrameTooLargeException : IOException
{
    public ClientFrameTooLargeException(long declared, long limit)
        : base(string.Create(CultureInfo.InvariantCulture, $"a frame header declared {declared} bytes; messages are limited to {limit} bytes"))
    {
        Declared = declared;
        Limit = limit;
    }

    public long Declared { get; }

    public long Limit { get; }

    /// <summary>The refusal behind <paramref name="exception"/>, if that is what ended the receive.</summary>
    public static ClientFrameTooLargeException? In(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is ClientFrameTooLargeException tooLarge)
            {
                return tooLarge;
            }
        }

        return null;
    }
}
