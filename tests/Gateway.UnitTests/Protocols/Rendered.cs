using System.Text;
using Gateway.Core.Protocols;
using Gateway.Core.Results;
using Gateway.Core.Sessions;

namespace Gateway.UnitTests.Protocols;

/// <summary>Renders events through a protocol the way the session's send loop does: one batch per event.</summary>
internal static class Rendered
{
    public static List<string> Messages(ISessionProtocol protocol, params ServerEvent[] events)
    {
        var batch = new MessageBatch();
        var messages = new List<string>();
        foreach (var serverEvent in events)
        {
            batch.Clear();
            protocol.Write(batch, serverEvent);
            for (var i = 0; i < batch.Count; i++)
            {
                messages.Add(Encoding.UTF8.GetString(batch[i].Span));
            }
        }

        return messages;
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
