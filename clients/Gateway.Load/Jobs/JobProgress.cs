namespace Gateway.Load.Jobs;

/// <summary>What the load tool saw of one job: when it was submitted, began and finished (Stopwatch ticks), and its audio done.</summary>
internal sealed class JobProgress(string id, long submittedAt, double audioSeconds)
{
    public string Id { get; } = id;

    public long SubmittedAt { get; } = submittedAt;

    /// <summary>The job's audio length: the gateway's <c>duration</c> once known, else the generated length.</summary>
    public double AudioSeconds { get; set; } = audioSeconds;

    public string Status { get; set; } = "queued";

    /// <summary>Audio whose finals arrived, in seconds: at the start of the measured window and now.</summary>
    public double DoneAtStart { get; set; }

    public double Done { get; set; }

    /// <summary>When it was first seen processing (or the window's start if it already was) and the audio done then.</summary>
    public long? RunningSince { get; set; }

    public double DoneWhenRunning { get; set; }

    public long? FinishedAt { get; set; }

    /// <summary>The gateway's RTF (processing time / duration) once done.</summary>
    public double? GatewayRtf { get; set; }

    public string? Error { get; set; }

    public bool Ended => Status is "done" or "failed";
}
