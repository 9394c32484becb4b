using Gateway.Cli.Audio;

namespace Gateway.Cli.Tests.Captions;

public sealed class AudioSourceTests
{
    [Fact]
    public void FfmpegArguments_RtspWithDuration_TcpTransportAndTimeLimitBeforeTheRawMonoOutput()
    {
        var source = AudioSource.Stream(new Uri("rtsp://cam/stream1"), "tcp", TimeSpan.FromSeconds(2.5));

        Assert.Equal(
            ["-hide_banner", "-nostdin", "-loglevel", "error", "-rtsp_transport", "tcp", "-i", "rtsp://cam/stream1", "-t", "2.5",
             "-vn", "-ac", "1", "-ar", "16000", "-f", "s16le", "-"],
            source.FfmpegArguments());
        Assert.True(source.IsLive);
    }

    [Fact]
    public void FfmpegArguments_HlsUrl_NoRtspOptions()
    {
        var source = AudioSource.Stream(new Uri("https://cdn/live/index.m3u8"), "tcp", duration: null);

        Assert.DoesNotContain("-rtsp_transport", source.FfmpegArguments());
        Assert.DoesNotContain("-t", source.FfmpegArguments());
    }

    [Fact]
    public void FfmpegArguments_Device_InputFormatBeforeTheDevice()
    {
        var arguments = AudioSource.Device("pulse", "default", duration: null).FfmpegArguments();

        Assert.Equal(["-f", "pulse", "-i", "default"], arguments.Skip(4).Take(4));
    }
}
