using System.CommandLine;
using System.Globalization;
using Gateway.Cli.Jobs;
using Gateway.Cli.Protocol;
using Spectre.Console;

namespace Gateway.Cli.Commands;

/// <summary>
/// <c>job submit FILE [--wait] [--srt|--vtt|--json FILE]</c>, <c>job status ID</c>, <c>job list</c>: file transcription
/// jobs over the gateway's REST API (docs/jobs.md), with a progress bar while <c>--wait</c> follows a job.
/// </summary>
internal static class JobCommand
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public static Command Create(IAnsiConsole console) => new("job", "File transcription jobs on the gateway's queue (docs/jobs.md)")
    {
        Submit(console),
        Status(console),
        List(console),
    };

    private static Command Submit(IAnsiConsole console)
    {
        var file = new Argument<FileInfo>("file") { Description = "Audio or video file, any format the gateway's ffmpeg reads" };
        var wait = new Option<bool>("--wait", "-w") { Description = "Follow the job with a progress bar until it is done (implied by --srt/--vtt/--json)" };
        var common = new CommonOptions();
        var (server, apiKey) = Connection(common);
        var command = new Command("submit", "Upload a recording as a job; prints its id") { file, wait, server, apiKey, common.Language, common.Hotwords, common.Srt, common.Vtt, common.Json, common.Quiet };
        file.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<FileInfo>() is { Exists: false } missing)
            {
                result.AddError($"file not found: {missing.FullName}");
            }
        });
        command.SetAction((result, cancellationToken) => Run(console, result, server, apiKey, async client =>
        {
            var path = result.GetValue(file)!.FullName;
            var outputs = ((string Format, FileInfo? File)[])[("srt", result.GetValue(common.Srt)), ("vtt", result.GetValue(common.Vtt)), ("json", result.GetValue(common.Json))];
            var id = await client.SubmitAsync(path, result.GetValue(common.Language), result.GetValue(common.Hotwords), cancellationToken);
            console.WriteLine(id);
            if (!result.GetValue(wait) && outputs.All(o => o.File is null))
            {
                return ExitCodes.Ok;
            }

            var job = await FollowAsync(client, id, console, result.GetValue(common.Quiet), cancellationToken);
            if (job.Status != "done")
            {
                console.MarkupLine($"[red]error:[/] job {Markup.Escape(id)} failed: {Markup.Escape(job.Error ?? "no reason given")}");
                return ExitCodes.Error;
            }

            foreach (var (format, output) in outputs.Where(o => o.File is not null))
            {
                await File.WriteAllTextAsync(output!.FullName, await client.DownloadAsync(id, format, cancellationToken), cancellationToken);
            }

            console.MarkupLine($"[green]done[/] {Markup.Escape(job.FileName)}, {Seconds(job.Duration)} of audio");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Status(IAnsiConsole console)
    {
        var id = new Argument<string>("id") { Description = "The job's id (task_id)" };
        var (server, apiKey) = Connection(new CommonOptions());
        var command = new Command("status", "A job's status and progress") { id, server, apiKey };
        command.SetAction((result, cancellationToken) => Run(console, result, server, apiKey, async client =>
        {
            var job = await client.GetAsync(result.GetValue(id)!, cancellationToken);
            console.Write(Table([job]));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command List(IAnsiConsole console)
    {
        var page = new Option<int>("--page") { Description = "Page number, from 1", DefaultValueFactory = _ => 1 };
        var pageSize = new Option<int>("--page-size") { Description = "Jobs per page", DefaultValueFactory = _ => 20 };
        var status = new Option<string?>("--status") { Description = "Only jobs in this status: queued, processing, done, failed" };
        var (server, apiKey) = Connection(new CommonOptions());
        var command = new Command("list", "The gateway's jobs, newest first") { page, pageSize, status, server, apiKey };
        command.SetAction((result, cancellationToken) => Run(console, result, server, apiKey, async client =>
        {
            var (jobs, total) = await client.ListAsync(result.GetValue(page), result.GetValue(pageSize), result.GetValue(status), cancellationToken);
            console.Write(Table(jobs));
            console.MarkupLine($"[grey]{jobs.Count} of {total} jobs[/]");
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>Polls the job until it is done or failed, drawing its progress (0-100 %) as a bar.</summary>
    private static async Task<JobView> FollowAsync(JobClient client, string id, IAnsiConsole console, bool quiet, CancellationToken cancellationToken)
    {
        if (quiet)
        {
            return await PollAsync(client, id, _ => { }, cancellationToken);
        }

        if (!console.Profile.Capabilities.Interactive)
        {
            // Redirected output (a log, a pipe): one line per change instead of a redrawn bar.
            string? last = null;
            return await PollAsync(client, id, view =>
            {
                var line = $"{view.Status} {view.Progress.ToString("0.#", CultureInfo.InvariantCulture)} %";
                if (line != last)
                {
                    console.WriteLine(line);
                    last = line;
                }
            }, cancellationToken);
        }

        return await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(Markup.Escape(id), maxValue: 100);
                var job = await PollAsync(client, id, view => task.Value = view.Progress, cancellationToken);
                task.StopTask();
                return job;
            });
    }

    private static async Task<JobView> PollAsync(JobClient client, string id, Action<JobView> report, CancellationToken cancellationToken)
    {
        while (true)
        {
            var job = await client.GetAsync(id, cancellationToken);
            report(job);
            if (job.Finished)
            {
                return job;
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    private static Table Table(IEnumerable<JobView> jobs)
    {
        // Ids are copied into the next command: never wrapped.
        var table = new Table().AddColumns(new TableColumn("id").NoWrap(), new TableColumn("status").NoWrap(), new TableColumn("progress").NoWrap(), new TableColumn("file").NoWrap())
            .AddColumns("duration", "error");
        foreach (var job in jobs)
        {
            table.AddRow(
                Markup.Escape(job.Id),
                job.Status,
                job.Progress.ToString("0.#", CultureInfo.InvariantCulture) + " %",
                Markup.Escape(job.FileName),
                Seconds(job.Duration),
                Markup.Escape(job.Error ?? ""));
        }

        return table;
    }

    private static string Seconds(double? seconds) => seconds is { } s ? s.ToString("0.0", CultureInfo.InvariantCulture) + " s" : "";

    /// <summary><c>--server</c> (validated like the other commands') and <c>--api-key</c> (default $GATEWAY_API_KEY).</summary>
    private static (Option<string> Server, Option<string?> ApiKey) Connection(CommonOptions common)
    {
        var server = common.Server;
        server.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } text && CommonOptions.ServerUri(text) is null)
            {
                result.AddError($"--server: '{text}' is not a ws://, wss://, http:// or https:// URL");
            }
        });
        var apiKey = new Option<string?>("--api-key")
        {
            Description = "API key with the jobs scope (default: $GATEWAY_API_KEY), sent as Authorization: Token KEY",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("GATEWAY_API_KEY"),
        };
        return (server, apiKey);
    }

    /// <summary>Runs one job action, turning the gateway's answers into messages and exit codes (docs/clients.md).</summary>
    private static async Task<int> Run(IAnsiConsole console, ParseResult result, Option<string> server, Option<string?> apiKey, Func<JobClient, Task<int>> action)
    {
        using var client = new JobClient(CommonOptions.ServerUri(result.GetValue(server)!)!, result.GetValue(apiKey));
        try
        {
            return await action(client);
        }
        catch (CannotConnectException ex)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(ex.Message)}");
            return ExitCodes.CannotConnect;
        }
        catch (JobApiException ex) when (ex.MediaRejected)
        {
            console.MarkupLine($"[red]error:[/] the gateway cannot read the file ({ex.Status}): {Markup.Escape(ex.Message)}");
            return ExitCodes.Ffmpeg;
        }
        catch (JobApiException ex)
        {
            console.MarkupLine($"[red]error:[/] the gateway refused the request ({ex.Status}): {Markup.Escape(ex.Message)}");
            return ExitCodes.Error;
        }
    }
}
