using Gateway.Core.Ingest;

namespace Gateway.UnitTests.Ingest;

public sealed class IngestCaptionsTests
{
    [Theory]
    [InlineData("  Duration: N/A, start: 20.000000, bitrate: N/A", 20.0)]
    [InlineData("  Duration: 00:00:05.07, start: 1.400000, bitrate: 0 kb/s", 1.4)]
    [InlineData("  Duration: N/A, start: 0.000000, bitrate: 256 kb/s", 0.0)]
    public void FfmpegLog_InputDump_StartTimeParsed(string line, double seconds)
    {
        var log = new FfmpegLog("http://cam/x", "http://cam/x");
        log.Add("Input #0, hls, from 'http://cam/x':");
        log.Add(line);
        log.Add("  Duration: N/A, start: 99.000000, bitrate: N/A"); // a second dump does not move the first

        Assert.Equal(seconds, log.StartSeconds);
    }

    [Theory]
    [InlineData(20.0, 1_800_000L)]
    [InlineData(1.4, 126_000L)]
    [InlineData(95_444.0, 95_444L * 90_000 % (1L << 33))] // wraps at 2^33, like the MPEG-2 clock
    [InlineData(null, 0L)]
    public void Segment_TimestampMapPutsCueZeroAtTheMediaStart(double? start, long mpegts)
    {
        var captions = new IngestCaptions(new IngestOptions());
        captions.SetMediaStart(start);
        captions.SetMediaStart(50); // set once: the first run's source

        Assert.StartsWith($"WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:{mpegts},LOCAL:00:00:00.000\n\n", captions.Segment(0));
    }
}
