using System.CommandLine;
using Gateway.Cli.Commands;
using Spectre.Console;

namespace Gateway.Cli;

/// <summary>The <c>gateway-cli</c> command line: <c>transcribe</c>, <c>stream</c>, <c>mic</c>, <c>watch</c>, <c>ingest</c>, <c>job</c>.</summary>
public static class CliApp
{
    /// <param name="handleSignals">Let Ctrl+C/SIGTERM cancel the command (the process entry point); tests pass false.</param>
    /// <returns>One of <see cref="ExitCodes"/>.</returns>
    public static async Task<int> RunAsync(string[] args, IAnsiConsole console, bool handleSignals, CancellationToken cancellationToken)
    {
        var root = new RootCommand("Live captions from the transcription gateway (native protocol, docs/protocol.md)")
        {
            TranscribeCommand.Create(console),
            StreamCommand.Create(console),
            MicCommand.Create(console),
            WatchCommand.Create(console),
            IngestCommand.Create(console),
            JobCommand.Create(console),
        };
        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
            {
                console.MarkupLine($"[red]error:[/] {Markup.Escape(error.Message)}");
            }

            console.MarkupLine("[grey]see gateway-cli --help[/]");
            return ExitCodes.Usage;
        }

        try
        {
            return await result.InvokeAsync(
                new InvocationConfiguration
                {
                    // Ctrl+C stops the audio; the last results still arrive before the process exits.
                    ProcessTerminationTimeout = handleSignals ? TimeSpan.FromSeconds(60) : null,
                    EnableDefaultExceptionHandler = false,
                },
                cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(ex.Message)}");
            return ExitCodes.Internal;
        }
    }
}
