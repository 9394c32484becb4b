using Gateway.Core.Jobs;
using Gateway.Core.Jobs.Store;

namespace Gateway.UnitTests.Jobs;

public sealed class JobActivityTests
{
    private static readonly TimeSpan Ten = TimeSpan.FromSeconds(10);

    [Fact]
    public void AudioDone_AcrossAJobsEnd_NeverDipsNorCountsTwice()
    {
        var activity = new JobActivity();
        var seen = new List<double>();
        using (var run = activity.Start("a", CancellationToken.None))
        {
            run.Report(new FileTranscriptionProgress(TimeSpan.FromSeconds(4), Ten));
            seen.Add(activity.AudioDone.TotalSeconds);
            run.Report(new FileTranscriptionProgress(Ten, Ten));
            seen.Add(activity.AudioDone.TotalSeconds);
            // The worker records the outcome, then the run ends: the dashboard samples in between.
            activity.Record(new JobOutcome { DurationSeconds = 10, Text = "x", Sentences = [] });
            seen.Add(activity.AudioDone.TotalSeconds);
        }

        seen.Add(activity.AudioDone.TotalSeconds);
        using (var next = activity.Start("b", CancellationToken.None))
        {
            next.Report(new FileTranscriptionProgress(TimeSpan.FromSeconds(2), Ten));
            next.Report(new FileTranscriptionProgress(TimeSpan.FromSeconds(1), Ten)); // an older report arriving late
            seen.Add(activity.AudioDone.TotalSeconds);
        }

        Assert.Equal([4, 10, 10, 10, 12], seen);
        Assert.Equal(Ten, activity.AudioTranscribed);
    }
}
