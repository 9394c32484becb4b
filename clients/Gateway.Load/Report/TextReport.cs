using System.Globalization;
using Gateway.Load.Idle;
using Gateway.Load.Metrics;
using Gateway.Load.Streams;
using Gateway.Load.Wave;

namespace Gateway.Load.Report;

/// <summary>The human-readable tables.</summary>
internal static class TextReport
{
    public static void Write(TextWriter w, StreamReport r)
    {
        Line(w, $"{r.Streams} streams, {r.DurationSeconds:0} s, talk {100 * r.TalkRatio:0} %, {r.FrameMs} ms frames, endpoint silence {r.EndpointSilenceMs} ms, upstream processing {r.UpstreamProcessingMs:0} ms");
        Line(w, $"sessions: {r.Connected} streamed, {r.Refused} refused (wait), {r.Failed} failed, {r.DrainTimeouts} drain timeouts, {r.AbnormalCloses} closes other than 1000");
        Line(w, $"utterances {r.Utterances}, without any final {r.UtterancesWithoutFinal}; segments {r.Segments} ({(r.Utterances > 0 ? (double)r.Segments / r.Utterances : 0):0.00} per utterance), without final {r.SegmentsWithoutFinal}; overflow reports {r.Overflows}");
        var words = r.Words;
        Line(w, $"words: expected {words.Expected}, recovered exactly once {words.Recovered}, lost {words.Lost}, duplicated {words.Duplicated}, out of order {words.OutOfOrder}, unexpected {words.Unexpected}");
        Line(w, $"errors: {(r.Errors.Count == 0 ? "none" : string.Join(", ", r.Errors.Select(e => $"{e.Key} x{e.Value}")))}; duplicated finals {r.DuplicatedFinals}");
        if (r.Resume is { } resume)
        {
            Line(w, $"resets {resume.Resets}, resumed {resume.Resumed}, failed {(resume.Failures.Count == 0 ? "none" : string.Join(", ", resume.Failures.Select(e => $"{e.Key} x{e.Value}")))}; duplicated finals {resume.DuplicatedFinals}");
        }

        foreach (var f in r.FailureSamples)
        {
            Line(w, $"  {f}");
        }

        w.WriteLine();
        LatencyHeader(w);
        Row(w, "speech start -> first partial", r.SpeechStartToFirstPartialMs);
        Row(w, "end of speech -> final", r.EndOfSpeechToFinalMs);
        Row(w, "  minus endpoint silence + upstream", r.FinalOverheadMs);
        Row(w, "final end_ms - true speech end (audio)", r.SegmentEndOffsetMs);
        Row(w, "load tool pacing lag (its own lateness)", r.PacingLagMs);
        if (r.Resume is { } timing)
        {
            Row(w, "reset -> resumed (ready, backlog resent)", timing.ResumeMs);
        }
        if (r.Gateway is { } g)
        {
            w.WriteLine();
            Write(w, g, r.Streams);
        }
    }

    public static void Write(TextWriter w, GatewayReport g, int streams)
    {
        Line(w, $"gateway over {g.WallSeconds:0.0} s: CPU {g.CpuCoresUsed:0.00} cores = {g.CpuPercentOfMachine:0.0} % of the machine; working set {g.WorkingSetStartMb:0} -> peak {g.WorkingSetPeakMb:0} MB; managed heap {g.ManagedHeapStartMb:0} -> peak {g.ManagedHeapPeakMb:0} MB");
        Line(w, $"upstream: {g.UpstreamConnects} connections opened for {streams} streams; peak utterances leased or waiting {g.PeakUpstreamInFlight}, peak idle {g.PeakUpstreamIdle}; reuse {g.UpstreamReuse}, discards {g.UpstreamDiscards}, failed {g.UpstreamFailed}");
        Line(w, $"connection held per utterance: mean {Ms(g.LeaseHoldMeanMs)}, p99 {Ms(g.LeaseHoldP99Ms)} (bucket bound); connections busy on average {g.MeanConnectionsHeld:0.0}");
        Line(w, $"sessions peak {g.PeakActiveSessions}; segments {g.Segments}, replays {g.Replays}, session errors {g.SessionErrors}, VAD windows lost {g.VadWindowsLost}");
        if (g.RoomFanOutMessages > 0)
        {
            Line(w, $"rooms: {g.RoomFanOutMessages} messages fanned out to viewers, {g.RoomDroppedViewers} viewers dropped; speech end -> final queued for viewers p99 {Ms(g.RoomCaptionLatencyP99Ms)}");
        }
        Line(w, $"gateway histograms (bucket bounds): final latency p50 {Ms(g.FinalLatencyP50Ms)} p99 {Ms(g.FinalLatencyP99Ms)}; lease wait mean {Ms(g.LeaseWaitMeanMs)} p99 {Ms(g.LeaseWaitP99Ms)}; VAD tick mean {Ms(g.VadTickMeanMs)} p99 {Ms(g.VadTickP99Ms)}; VAD lag mean {Ms(g.VadLagMeanMs)} p99 {Ms(g.VadLagP99Ms)}; VAD batch mean {g.VadBatchMean:0.0}");
    }

    public static void Write(TextWriter w, Ingest.IngestReport r)
    {
        Line(w, $"{r.Mode}: {r.Ingests} sources ({r.HlsIngests} HLS from one live channel, {r.LiveWavIngests} live WAV over HTTP) over {r.WindowSeconds:0.0} s; {r.Running} running at the end; ffmpeg restarts (CLI: processes ended) {r.FfmpegRestarts}");
        if (r.ClientProcesses > 0)
        {
            Line(w, $"gateway-cli processes: {r.ClientProcesses}, CPU {r.ClientCpuCores:0.000} cores = {r.ClientCpuPerIngestPercentOfCore:0.00} % of a core each; {r.ClientResidentPerIngestMb:0.0} MB resident, {r.ClientProportionalPerIngestMb:0.0} MB proportional each");
        }

        Line(w, $"CPU: gateway {r.GatewayCpuCores:0.000} cores = {r.GatewayCpuPerIngestPercentOfCore:0.00} % of a core per ingest; its ffmpeg children {r.FfmpegCpuCores:0.000} cores = {r.FfmpegCpuPerIngestPercentOfCore:0.00} % per ingest; HLS origin (source side) {r.OriginCpuCores:0.000} cores");
        Line(w, $"memory: gateway working set {r.GatewayWorkingSetBeforeMb:0} -> {r.GatewayWorkingSetAfterMb:0} MB = {r.GatewayWorkingSetPerIngestMb:0.00} MB per ingest (managed heap {r.GatewayManagedHeapPerIngestMb:0.00} MB); {r.FfmpegProcesses} ffmpeg at {r.FfmpegResidentPerIngestMb:0.0} MB resident, {r.FfmpegProportionalPerIngestMb:0.0} MB proportional (Pss) each");
        Line(w, $"words: {r.WordsCaptioned} captioned in the window, {r.WordsMissed} missed between the first and last captioned word of an ingest");
        w.WriteLine();
        LatencyHeader(w);
        Row(w, "HLS: spoken at source -> viewer final", r.HlsCaptionLatencyMs);
        Row(w, "live WAV: spoken at source -> viewer", r.LiveWavCaptionLatencyMs);
        Row(w, "ingest lag_ms at the end", r.IngestLagMs);
        w.WriteLine();
        Write(w, r.Gateway, r.Ingests);
    }

    public static void Write(TextWriter w, Jobs.JobReport r)
    {
        Line(w, $"{r.Mode}: {r.Jobs} jobs of {r.AudioSecondsPerJob / 60:0.#} min over {r.WindowSeconds:0.0} s; completed {r.Completed}, failed {r.Failed}, still running {r.StillRunning}, queued {r.Queued}; {r.Progressed} made progress");
        Line(w, $"throughput: {r.AudioSecondsDone / 3600:0.000} audio hours in the window = {r.AudioHoursPerWallHour:0.0} audio hours per wall hour");
        Line(w, $"errors: {(r.Errors.Count == 0 ? "none" : string.Join("; ", r.Errors.Take(5)))}");
        w.WriteLine();
        Line(w, $"{"per job",-40} {"n",7} {"p50",8} {"p95",8} {"p99",8} {"max",8}");
        Row(w, "RTF (wall s per audio s)", r.Rtf, "0.0000");
        Row(w, "submitted -> done (s)", r.FinishedSeconds);
        Row(w, "submitted -> done, projected (s)", r.ProjectedFinishSeconds);
        if (r.Gateway is { } g)
        {
            w.WriteLine();
            Write(w, g, r.Jobs);
        }
    }

    public static void Write(TextWriter w, IdleReport r)
    {
        Line(w, $"{r.Opened} of {r.Requested} idle sessions open ({r.Refused} refused, {r.Failed} failed); gateway reports {r.ActiveSessions} active; upstream connections opened {r.UpstreamConnects}");
        Line(w, $"{"",-22} {"before MB",10} {"after MB",10} {"per session KB",15}");
        Line(w, $"{"working set",-22} {r.WorkingSetBeforeMb,10:0.0} {r.WorkingSetAfterMb,10:0.0} {r.WorkingSetPerSessionKb,15:0.0}");
        Line(w, $"{"managed heap",-22} {r.ManagedHeapBeforeMb,10:0.0} {r.ManagedHeapAfterMb,10:0.0} {r.ManagedHeapPerSessionKb,15:0.0}");
        if (r.DetachedSessions is { } detached)
        {
            Line(w, $"after resetting every connection: {detached:0} sessions detached; per detached session: working set {r.WorkingSetPerDetachedKb:0.0} KB, managed heap {r.ManagedHeapPerDetachedKb:0.0} KB");
        }
    }

    public static void Write(TextWriter w, Rooms.RoomReport r)
    {
        Line(w, $"{r.Rooms} rooms x {r.SpeakersPerRoom} speakers x {r.ViewersPerRoom} viewers ({r.ViewersConnected} viewers connected)");
        Line(w, $"finals: speakers got {r.SpeakerFinals}; viewers expected {r.ExpectedViewerFinals}, lost {r.LostViewerFinals}, duplicated {r.DuplicatedViewerFinals}; viewers dropped as slow {r.DroppedViewers}");
        Line(w, $"memory per viewer (idle, before speech): working set {r.WorkingSetPerViewerKb:0.0} KB, managed heap {r.ManagedHeapPerViewerKb:0.0} KB");
        w.WriteLine();
        LatencyHeader(w);
        Row(w, "speaker's final -> viewer's final", r.FinalToViewerMs);
        Row(w, "per room: p50 speech -> first partial", r.RoomFirstPartialP50Ms);
        Row(w, "per room: p99 speech -> first partial", r.RoomFirstPartialP99Ms);
        w.WriteLine();
        Line(w, $"speakers (as the stream mode reports them):");
        Write(w, r.Speakers);
    }

    public static void Write(TextWriter w, WaveReport r)
    {
        Line(w, $"{"wave",-14} {"sessions",8} {"QPS",8} {"P50 ms",8} {"P95 ms",8} {"P99 ms",8} {"fail %",7} {"lost words",10} {"upstream conn.",14} {"reuse %",8}");
        Line(w, $"{$"{r.Concurrency} x {r.Rounds}",-14} {r.Sessions,8} {r.Qps,8:0.0} {F(r.LatencyMs.P50),8} {F(r.LatencyMs.P95),8} {F(r.LatencyMs.P99),8} {r.FailPercent,7:0.00} {r.WordsLost,10} {r.UpstreamConnects,14} {r.ReusePercent,8:0.0}");
        foreach (var f in r.FailureSamples)
        {
            Line(w, $"  {f}");
        }

        if (r.Gateway is { } g)
        {
            w.WriteLine();
            Write(w, g, r.Concurrency);
        }
    }

    /// <summary>The column heads of the <see cref="Row"/> table.</summary>
    private static void LatencyHeader(TextWriter w) => Line(w, $"{"latency (ms)",-40} {"n",7} {"p50",8} {"p95",8} {"p99",8} {"max",8}");

    private static void Row(TextWriter w, string name, Percentiles p, string format = "0.0") =>
        Line(w, $"{name,-40} {p.Count,7} {F(p.P50, format),8} {F(p.P95, format),8} {F(p.P99, format),8} {F(p.Max, format),8}");

    private static string F(double? v, string format = "0.0") => v is { } x ? x.ToString(format, CultureInfo.InvariantCulture) : "-";

    private static string Ms(double? v) => v switch
    {
        null => "-",
        double.PositiveInfinity => "+Inf (beyond the last bucket)",
        { } x => x.ToString("0.#", CultureInfo.InvariantCulture) + " ms",
    };

    private static void Line(TextWriter w, FormattableString s) => w.WriteLine(s.ToString(CultureInfo.InvariantCulture));
}
