using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace Gateway.Native.Tests;

/// <summary>Runs an external program to completion and keeps what it printed.</summary>
internal static class Tool
{
    public static async Task<BufferedCommandResult> RunAsync(string program, IEnumerable<string> arguments, string? workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string?>? environment = null)
    {
        using var cts = new CancellationTokenSource(timeout);
        var command = Cli.Wrap(program).WithArguments(arguments).WithValidation(CommandResultValidation.None);
        if (workingDirectory is not null)
        {
            command = command.WithWorkingDirectory(workingDirectory);
        }

        if (environment is not null)
        {
            command = command.WithEnvironmentVariables(environment);
        }

        return await command.ExecuteBufferedAsync(Encoding.UTF8, cts.Token);
    }

    /// <summary>Fails with the program's whole output unless it exited 0.</summary>
    public static async Task<string> RunCheckedAsync(string program, IEnumerable<string> arguments, string? workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var args = arguments.ToArray();
        var r = await RunAsync(program, args, workingDirectory, timeout, environment);
        Assert.True(r.ExitCode == 0, $"{program} {string.Join(' ', args)} exited {r.ExitCode}\n--- stdout\n{r.StandardOutput}\n--- stderr\n{r.StandardError}");
        return r.StandardOutput;
    }
}
