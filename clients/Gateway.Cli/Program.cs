using Gateway.Cli;
using Spectre.Console;

return await CliApp.RunAsync(args, AnsiConsole.Console, handleSignals: true, CancellationToken.None);
