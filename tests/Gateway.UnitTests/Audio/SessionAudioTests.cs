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

    [Fact]
    public void OnWritten_AudioReachesTheArmedPosition_WakesOnce()
    {
        var audio = new SessionAudio(4096);
        var wakes = 0;
        audio.SetWake(() => wakes++);
        audio.OnWritten(); // nothing armed
        audio.WakeAt(1000);

        audio.Ring.Write(new short[999]);
        audio.OnWritten();
        Assert.Equal(0, wakes);

        audio.Ring.Write(new short[20]);
        audio.OnWritten();
        audio.Ring.Write(new short[20]);
        audio.OnWritten();
        Assert.Equal(1, wakes); // once per arming

        audio.WakeAt(-1); // disarmed
        audio.Ring.Write(new short[2000]);
        audio.OnWritten();
        Assert.Equal(1, wakes);

        audio.WakeAt(3000);
        audio.OnWritten(); // already there
        Assert.Equal(2, wakes);
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
