using Gateway.Load.Metrics;
using Gateway.Load.Report;

namespace Gateway.Load.Jobs;

/// <summary>What a jobs run measured: jobs completed, audio hours per wall hour, per-job RTF and time to finish.</summary>
internal sealed record JobReport
{
    /// <summary><c>gateway jobs</c> (the jobs API) or <c>per-file connection</c> (the baseline: one upstream connection per file, sent whole).</summary>
    public required string Mode { get; init; }

    public required int Jobs { get; init; }
    public required double AudioSecondsPerJob { get; init; }
    public required double WindowSeconds { get; init; }
    public required int Completed { get; init; }
    public required int Failed { get; init; }

    /// <summary>Jobs that made progress in the window (the rest waited or had ended).</summary>
    public required int Progressed { get; init; }

    public required int StillRunning { get; init; }
    public required int Queued { get; init; }

    /// <summary>Audio whose finals arrived within the window, all jobs together.</summary>
    public required double AudioSecondsDone { get; init; }

    public required double AudioHoursPerWallHour { get; init; }

    /// <summary>Per job: wall time over its audio done while it ran (the gateway's RTF for a finished gateway job).</summary>
    public required Percentiles Rtf { get; init; }

    /// <summary>Submission to done, for the jobs that finished.</summary>
    public required Percentiles FinishedSeconds { get; init; }

    /// <summary>Submission to done projected at each unfinished job's own rate in the window.</summary>
    public required Percentiles ProjectedFinishSeconds { get; init; }

    public required IReadOnlyList<string> Errors { get; init; }

    public GatewayReport? Gateway { get; init; }

    public static JobReport Of(string mode, IReadOnlyCollection<JobProgress> jobs, double audioSecondsPerJob, long windowStart, long windowEnd, GatewayReport? gateway)
    {
        var window = System.Diagnostics.Stopwatch.GetElapsedTime(windowStart, windowEnd).TotalSeconds;
        double Seconds(long from, long to) => System.Diagnostics.Stopwatch.GetElapsedTime(from, to).TotalSeconds;
        var done = jobs.Sum(j => j.Done - j.DoneAtStart);
        var rtf = jobs
            .Select(j => j.GatewayRtf ?? (j.RunningSince is { } since && j.Done > j.DoneWhenRunning ? Seconds(since, j.FinishedAt ?? windowEnd) / (j.Done - j.DoneWhenRunning) : (double?)null))
            .OfType<double>();
        var projected = jobs
            .Where(j => j.FinishedAt is null && j.Status != "failed" && j.RunningSince is { } since && j.Done > j.DoneWhenRunning)
            .Select(j =>
            {
                var rate = (j.Done - j.DoneWhenRunning) / Seconds(j.RunningSince!.Value, windowEnd);
                return Seconds(j.SubmittedAt, windowEnd) + ((j.AudioSeconds - j.Done) / rate);
            });
        return new JobReport
        {
            Mode = mode,
            Jobs = jobs.Count,
            AudioSecondsPerJob = audioSecondsPerJob,
            WindowSeconds = window,
            Completed = jobs.Count(j => j.Status == "done"),
            Failed = jobs.Count(j => j.Status == "failed"),
            Progressed = jobs.Count(j => j.Done > j.DoneAtStart),
            StillRunning = jobs.Count(j => j.Status == "processing"),
            Queued = jobs.Count(j => j.Status == "queued"),
            AudioSecondsDone = done,
            AudioHoursPerWallHour = window > 0 ? done / window : 0,
            Rtf = Percentiles.Of(rtf),
            FinishedSeconds = Percentiles.Of(jobs.Where(j => j.FinishedAt is not null && j.Status == "done").Select(j => Seconds(j.SubmittedAt, j.FinishedAt!.Value))),
            ProjectedFinishSeconds = Percentiles.Of(projected),
            Errors = [.. jobs.Where(j => j.Error is not null).Select(j => $"{j.Id}: {j.Error}")],
            Gateway = gateway,
        };
    }
}
