using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;

namespace Gateway.FunctionalTests.Infrastructure;

/// <summary>
/// Every log event of a test gateway, as Serilog emits it (the gateway reads sinks from its services). Pass
/// <see cref="Configure"/> to <see cref="TestGateway.StartAsync"/> and <see cref="Settings"/> for the level.
/// </summary>
public sealed class LogCapture : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    /// <summary>Debug and up from every source, Kestrel's included.</summary>
    public static IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Serilog:MinimumLevel:Default"] = "Debug",
        ["Serilog:MinimumLevel:Override:Microsoft"] = "Debug",
        ["Serilog:MinimumLevel:Override:Microsoft.AspNetCore"] = "Debug",
    };

    public IReadOnlyList<LogEvent> Events => [.. _events];

    public void Configure(Microsoft.AspNetCore.Builder.WebApplicationBuilder builder) =>
        builder.Services.AddSingleton<ILogEventSink>(this);

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

    /// <summary>Events with this <c>EventId.Id</c>.</summary>
    public IReadOnlyList<LogEvent> WithEventId(int id) =>
        [.. _events.Where(e => e.Properties.TryGetValue("EventId", out var v) && v is StructureValue s
            && s.Properties.Any(p => p.Name == "Id" && p.Value is ScalarValue { Value: int i } && i == id))];

    public static string Describe(IEnumerable<LogEvent> events) =>
        string.Join(Environment.NewLine, events.Select(e => $"{e.Level} {e.RenderMessage()} {e.Exception?.GetType().Name}"));
}
