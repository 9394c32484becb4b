using Gateway.Core.Rooms;

namespace Gateway.UnitTests.Rooms;

public sealed class RoomNamesTests
{
    [Theory]
    [InlineData("standup")]
    [InlineData("Team-3.daily_sync")]
    [InlineData("0")]
    public void CheckRoom_UrlSafeName_Accepted(string room) => Assert.Null(RoomNames.CheckRoom(room));

    [Theory]
    [InlineData("")]
    [InlineData("-leading")]
    [InlineData("with space")]
    [InlineData("slash/room")]
    [InlineData("ümlaut")]
    public void CheckRoom_Other_Refused(string room) => Assert.NotNull(RoomNames.CheckRoom(room));

    [Fact]
    public void CheckRoom_SixtyFiveCharacters_Refused() => Assert.NotNull(RoomNames.CheckRoom(new string('a', 65)));

    [Theory]
    [InlineData("Alice")]
    [InlineData("Chloé Dubois")]
    [InlineData("李雷")]
    [InlineData("O'Brien (host)")]
    [InlineData("Speaker_2.b-c")]
    public void CheckSpeaker_LettersDigitsAndAllowedPunctuation_Accepted(string speaker) => Assert.Null(RoomNames.CheckSpeaker(speaker, 32));

    [Theory]
    [InlineData("", "needs a speaker name")]
    [InlineData(" Alice", "leading, trailing or double space")]
    [InlineData("Alice ", "leading, trailing or double space")]
    [InlineData("Al  ice", "leading, trailing or double space")]
    [InlineData("Al\tice", "U+0009")]
    [InlineData("<b>Al</b>", "U+003C")]
    [InlineData("Alice\u202E", "U+202E")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFG", "longer than 32 characters")]
    public void CheckSpeaker_Invalid_SaysWhy(string speaker, string reason) =>
        Assert.Contains(reason, RoomNames.CheckSpeaker(speaker, 32), StringComparison.Ordinal);

    [Fact]
    public void Speakers_UniqueIgnoringCase() => Assert.True(RoomNames.Speakers.Equals("alice", "ALICE"));
}
