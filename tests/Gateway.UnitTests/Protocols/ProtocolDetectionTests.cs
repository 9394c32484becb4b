using System.Net.WebSockets;
using System.Text;
using Gateway.Core.Protocols;
using Gateway.Core.Sessions;

namespace Gateway.UnitTests.Protocols;

public sealed class ProtocolDetectionTests
{
    [Theory]
    [InlineData("""{"uid":"u","language":null,"task":"transcribe","model":"small","use_vad":true}""", DetectedProtocol.WhisperLive)]
    [InlineData("""{"language":"en","task":"transcribe","model":"small"}""", DetectedProtocol.WhisperLive)]
    [InlineData("""{"mode":"2pass","chunk_size":[5,10,5],"wav_name":"h5","is_speaking":true}""", DetectedProtocol.FunAsr)]
    [InlineData("""{"chunk_size":[5,10,5],"chunk_interval":10,"wav_name":"a","wav_format":"pcm","audio_fs":16000}""", DetectedProtocol.FunAsr)]
    [InlineData("""{"is_speaking":false}""", DetectedProtocol.FunAsr)]
    [InlineData("""{"type":"start"}""", DetectedProtocol.Native)]
    [InlineData("""{"hello":"world"}""", DetectedProtocol.Unknown)]
    [InlineData("""not json""", DetectedProtocol.Unknown)]
    [InlineData("""[1]""", DetectedProtocol.Unknown)]
    public void Detect_FirstTextMessage_PicksTheProtocol(string message, DetectedProtocol expected)
    {
        var first = new FirstMessageResult(FirstMessageStatus.Received, Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text);

        Assert.Equal(expected, ProtocolDetection.Detect(first));
    }

    [Fact]
    public void Detect_AudioFirst_IsFunAsr()
    {
        var first = new FirstMessageResult(FirstMessageStatus.Received, new byte[1920], WebSocketMessageType.Binary);

        Assert.Equal(DetectedProtocol.FunAsr, ProtocolDetection.Detect(first));
    }

    [Fact]
    public void Detect_NothingReceived_Unknown()
    {
        Assert.Equal(DetectedProtocol.Unknown, ProtocolDetection.Detect(new FirstMessageResult(FirstMessageStatus.TimedOut, default, default)));
    }
}
