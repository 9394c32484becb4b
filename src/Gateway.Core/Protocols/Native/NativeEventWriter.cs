using System.Text.Json;
using Gateway.Core.Sessions;

namespace Gateway.Core.Protocols.Native;

/// <summary>Renders the speech and result events that later stages add (VAD, results).</summary>
internal static class NativeEventWriter
{
    public static void Write(Utf8JsonWriter json, ServerEvent serverEvent) =>
        throw new ArgumentException($"The native protocol has no rendering for {serverEvent.GetType().Name}.", nameof(serverEvent));
}
