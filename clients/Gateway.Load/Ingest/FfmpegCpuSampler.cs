using System.Globalization;

namespace Gateway.Load.Ingest;

/// <summary>
/// CPU and memory of the gateway's ffmpeg children from <c>/proc</c> (Linux): the processes named ffmpeg whose command
/// line names the run's source server (<c>127.0.0.1:{port}/</c>), so the HLS origin's own ffmpeg is not counted.
/// Sampled every second; a process's CPU is what it used between the first and the last time it was seen.
/// </summary>
internal sealed class FfmpegCpuSampler : IAsyncDisposable
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux
    private readonly string _marker;
    private readonly Dictionary<int, (long First, long Last)> _ticks = [];
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public FfmpegCpuSampler(int sourcePort) => _marker = $"127.0.0.1:{sourcePort}/";

    public void Start()
    {
        Sample(initial: true);
        _loop = LoopAsync();
    }

    /// <summary>CPU seconds the gateway's ffmpeg processes used since <see cref="Start"/>.</summary>
    public async Task<double> StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        Sample(initial: false);
        lock (_ticks)
        {
            return _ticks.Values.Sum(t => t.Last - t.First) / TicksPerSecond;
        }
    }

    /// <summary>
    /// The ffmpeg children running now and their memory in MB: resident (VmRSS, shared libraries counted in every
    /// process) and proportional (Pss, shared pages split between the processes that map them: what N of them cost).
    /// </summary>
    public (int Processes, double ResidentMb, double ProportionalMb) Memory() => MemoryOf([.. Children()]);

    /// <summary>Resident and proportional memory of these processes, in MB.</summary>
    public static (int Processes, double ResidentMb, double ProportionalMb) MemoryOf(IReadOnlyList<int> pids) =>
        (pids.Count, pids.Sum(p => StatusKb($"/proc/{p}/status", "VmRSS:")) / 1000.0, pids.Sum(p => StatusKb($"/proc/{p}/smaps_rollup", "Pss:")) / 1000.0);

    /// <summary>CPU seconds one process used so far (any process: the HLS origin's too).</summary>
    public static double CpuSeconds(int pid) => Ticks(pid) / TicksPerSecond;

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                Sample(initial: false);
            }
        }
        catch (OperationCanceledException)
        {
            // stopped
        }
    }

    private void Sample(bool initial)
    {
        foreach (var pid in Children())
        {
            var ticks = Ticks(pid);
            lock (_ticks)
            {
                _ticks[pid] = _ticks.TryGetValue(pid, out var t) ? (t.First, Math.Max(t.Last, ticks)) : (initial ? ticks : 0, ticks);
            }
        }
    }

    private IEnumerable<int> Children()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string cmdline;
            try
            {
                cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue; // exited meanwhile
            }

            var first = cmdline.Split('\0')[0];
            if (Path.GetFileName(first) == "ffmpeg" && cmdline.Contains(_marker, StringComparison.Ordinal) && cmdline.Contains("s16le", StringComparison.Ordinal))
            {
                yield return pid;
            }
        }
    }

    private static long Ticks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // after "pid (comm) ": state is field 3
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture); // utime, stime (14, 15)
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 0;
        }
    }

    private static long StatusKb(string file, string key)
    {
        try
        {
            var line = File.ReadLines(file).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return 0;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
