using System.Text;
using Gateway.Cli;
using Spectre.Console;

namespace Gateway.Cli.Tests.Infrastructure;

/// <summary>Runs gateway-cli's real command line in-process, its console captured as plain text.</summary>
internal static class CliRunner
{
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var output = new StringWriter(new StringBuilder());
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(25));
        var exitCode = await CliApp.RunAsync(args, console, handleSignals: false, timeout.Token);
        // The token is the user's Ctrl+C: a run that needed it did not end by itself.
        Assert.False(timeout.IsCancellationRequested, $"gateway-cli did not finish within 25 s:\n{output}");
        return (exitCode, output.ToString());
    }
}
