using Gateway.Load.Report;

namespace Gateway.Load.Resume;

/// <summary>The resets of a <c>--reset-every</c> run: words lost are in the stream report beside it.</summary>
internal sealed record ResumeReport
{
    public required int Resets { get; init; }
    public required int Resumed { get; init; }
    public required Dictionary<string, int> Failures { get; init; }

    /// <summary>From the reset to the resumed <c>ready</c>, backlog resent.</summary>
    public required Percentiles ResumeMs { get; init; }

    /// <summary>Finals whose <c>segment_id</c> a stream received more than once.</summary>
    public required int DuplicatedFinals { get; init; }
}
