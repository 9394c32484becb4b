using Gateway.Cli.Captions;
using Spectre.Console;

namespace Gateway.Cli.Terminal;

/// <summary>
/// Captions in the terminal. On an interactive terminal a Spectre progress line at the bottom shows the open
/// segment's partial text and how much audio was sent; finals are printed above it with their times (Spectre's
/// render hook keeps the live line below whatever is written). Redirected output gets finals and notices only.
/// Called from the event loop and the audio pump; Spectre serialises rendering.
/// </summary>
internal sealed class LiveCaptions
{
    private const string Idle = "[grey]listening…[/]";
    private readonly IAnsiConsole _console;
    private readonly bool _quiet;
    private readonly TimeSpan? _total;
    private ProgressTask? _task;

    public LiveCaptions(IAnsiConsole console, bool quiet, TimeSpan? total)
    {
        _console = console;
        _quiet = quiet;
        _total = total;
    }

    public async Task<T> RunAsync<T>(Func<Task<T>> body)
    {
        if (_quiet || !_console.Profile.Capabilities.Interactive)
        {
            return await body();
        }

        ProgressColumn[] columns = _total is null
            ? [new SpinnerColumn(), new ElapsedTimeColumn(), new TaskDescriptionColumn { Alignment = Justify.Left }]
            : [new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new TaskDescriptionColumn { Alignment = Justify.Left }];
        return await _console.Progress()
            .AutoClear(true)
            .Columns(columns)
            .StartAsync(async context =>
            {
                _task = context.AddTask(Idle, maxValue: _total?.TotalSeconds ?? 1);
                _task.IsIndeterminate = _total is null;
                try
                {
                    return await body();
                }
                finally
                {
                    _task.Value = _task.MaxValue;
                    _task.StopTask();
                    _task = null;
                }
            });
    }

    /// <summary>Seconds of audio sent so far.</summary>
    public void Sent(double seconds)
    {
        if (_task is { } task && _total is not null)
        {
            task.Value = Math.Min(seconds, task.MaxValue);
        }
    }

    /// <summary>The open segment's whole text so far (it replaces the previous partial).</summary>
    public void Partial(string text)
    {
        if (_task is { } task)
        {
            var width = Math.Max(20, _console.Profile.Width - 40);
            var tail = text.Length > width ? "…" + text[^(width - 1)..] : text;
            task.Description = tail.Length == 0 ? Idle : Markup.Escape(tail);
        }
    }

    public void Final(Caption caption)
    {
        Partial("");
        if (!_quiet && caption.Text.Length > 0)
        {
            _console.MarkupLine($"[grey]{SubtitleFormat.Time(caption.StartMs, '.')} → {SubtitleFormat.Time(caption.EndMs, '.')}[/]  {Markup.Escape(caption.Text)}");
        }
    }

    public void Notice(string text)
    {
        if (!_quiet)
        {
            _console.MarkupLine($"[grey]{Markup.Escape(text)}[/]");
        }
    }

    /// <summary>The connection was lost: shown on the live line and printed, until <see cref="Resumed"/>.</summary>
    public void Reconnecting(string text)
    {
        if (_task is { } task)
        {
            task.Description = "[yellow]reconnecting…[/]";
        }

        _console.MarkupLine($"[yellow]{Markup.Escape(text)}[/]");
    }

    public void Resumed(string text)
    {
        Partial("");
        Notice(text);
    }

    public void Warning(string text) => _console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(text)}");

    public void Error(string text) => _console.MarkupLine($"[red]error:[/] {Markup.Escape(text)}");
}
