using Gateway.Core.Audio;

namespace Gateway.UnitTests.Audio;

public sealed class SessionAudioTests
{
    [Fact]
    public void OnClassified_ReleasesUpToTheEarlierOfClassifiedAndSegmenterHeld()
    {
        var audio = new SessionAudio(4096);
        audio.Ring.Write(new short[3000]);

        audio.OnClassified(2048, segmenterHeld: 1000);
        Assert.Equal(1000, audio.Released);
        Assert.Equal(2048, audio.Classified);

        audio.OnClassified(2560, segmenterHeld: 5000); // never past what the VAD has seen
        Assert.Equal(2560, audio.Released);
    }

    [Fact(Timeout = 5_000)]
    public async Task WaitForRoomAsync_RingFull_CompletesWhenClassificationFreesSpace()
    {
        var audio = new SessionAudio(1024);
        audio.Ring.Write(new short[1024]);

        var waiting = audio.WaitForRoomAsync(512, () => false, CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);

        audio.OnClassified(512, segmenterHeld: 512);
        Assert.True(await waiting);
    }

    [Fact(Timeout = 5_000)]
    public async Task WaitForRoomAsync_Woken_GivesUpWhenAsked()
    {
        var audio = new SessionAudio(1024);
        audio.Ring.Write(new short[1024]);
        var closing = false;

        var waiting = audio.WaitForRoomAsync(512, () => closing, CancellationToken.None).AsTask();
        closing = true;
        audio.WakeProducer();

        Assert.False(await waiting);
    }

    [Fact(Timeout = 5_000)]
    public async Task WaitClassifiedAsync_PositionPublishedBeforeTheSignal_SeesIt()
    {
        var audio = new SessionAudio(4096);
        audio.Ring.Write(new short[1024]);

        var waiting = audio.WaitClassifiedAsync(1024, CancellationToken.None).AsTask();
        audio.OnClassified(512, 0);
        Assert.False(waiting.IsCompleted);
        audio.OnClassified(1024, 0);

        await waiting;
    }
}
