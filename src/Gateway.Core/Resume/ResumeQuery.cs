using System.Globalization;
using Gateway.Core.Sessions;

namespace Gateway.Core.Resume;

/// <summary>Reads <c>resume=TOKEN&amp;offset=N[&amp;finals=C]</c> from a connection URL; other keys are ignored (the session keeps its settings).</summary>
public static class ResumeQuery
{
    /// <summary>Null when the URL asks for no resume; otherwise the request or what is wrong with it.</summary>
    public static (ResumeRequest? Request, ClientError? Error)? Parse(IEnumerable<KeyValuePair<string, string?>> query)
    {
        string? token = null;
        string? offset = null;
        string? finals = null;
        foreach (var (key, value) in query)
        {
            switch (key)
            {
                case "resume":
                    token = value;
                    break;
                case "offset":
                    offset = value;
                    break;
                case "finals":
                    finals = value;
                    break;
            }
        }

        if (token is null)
        {
            return null;
        }

        if (token.Length == 0)
        {
            return (null, ClientError.InvalidConfig("resume needs the token from the session's last ready"));
        }

        if (!long.TryParse(offset, NumberStyles.None, CultureInfo.InvariantCulture, out var frames))
        {
            return (null, ClientError.InvalidConfig($"resume needs offset, the sample frame the client resends from (a non-negative integer; got {Describe(offset)})"));
        }

        long received = 0;
        if (finals is not null && !long.TryParse(finals, NumberStyles.None, CultureInfo.InvariantCulture, out received))
        {
            return (null, ClientError.InvalidConfig($"finals must be a non-negative integer, the number of final messages received (got {Describe(finals)})"));
        }

        return (new ResumeRequest(token, frames, received), null);
    }

    private static string Describe(string? value) => value is null ? "none" : $"\"{value}\"";
}
