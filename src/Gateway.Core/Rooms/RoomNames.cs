using System.Buffers;
using System.Globalization;

namespace Gateway.Core.Rooms;

/// <summary>
/// The naming rules (docs/rooms.md §2). A room name goes into URLs: 1-64 of <c>A-Z a-z 0-9 . _ -</c>, starting with a
/// letter or digit. A speaker name is what viewers read: 1 to <see cref="RoomOptions.MaxSpeakerNameLength"/>
/// characters of letters and digits of any script, spaces and <c>. _ - ' ( )</c>; no leading, trailing or double space.
/// Speakers are unique in a room ignoring case: a second "alice" is refused while "Alice" is there.
/// </summary>
public static class RoomNames
{
    public const int MaxRoomLength = 64;

    private static readonly SearchValues<char> RoomChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");
    private static readonly SearchValues<char> SpeakerPunctuation = SearchValues.Create(" ._-'()");

    /// <summary>Compares speaker names as the uniqueness rule does.</summary>
    public static StringComparer Speakers => StringComparer.OrdinalIgnoreCase;

    /// <summary>The form under which a speaker name is claimed in Redis: names equal under <see cref="Speakers"/> share it.</summary>
    public static string SpeakerKey(string speaker) => speaker.ToUpperInvariant();

    public static string? CheckRoom(string? room)
    {
        if (string.IsNullOrEmpty(room))
        {
            return "the room name is empty";
        }

        if (room.Length > MaxRoomLength || room.AsSpan().ContainsAnyExcept(RoomChars) || !char.IsAsciiLetterOrDigit(room[0]))
        {
            return $"invalid room name \"{Shorten(room)}\": use 1-{MaxRoomLength} of A-Z a-z 0-9 . _ -, starting with a letter or digit";
        }

        return null;
    }

    public static string? CheckSpeaker(string? speaker, int maxLength)
    {
        if (string.IsNullOrEmpty(speaker))
        {
            return "a participant needs a speaker name (speaker=...)";
        }

        if (speaker.Length > maxLength)
        {
            return $"speaker name \"{Shorten(speaker)}\" is longer than {maxLength} characters";
        }

        if (speaker[0] == ' ' || speaker[^1] == ' ' || speaker.Contains("  ", StringComparison.Ordinal))
        {
            return $"speaker name \"{speaker}\" has a leading, trailing or double space";
        }

        foreach (var c in speaker)
        {
            var letter = char.GetUnicodeCategory(c) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.NonSpacingMark
                or UnicodeCategory.SpacingCombiningMark;
            if (!letter && !SpeakerPunctuation.Contains(c))
            {
                return $"speaker name \"{Shorten(speaker)}\" has a character that is not allowed (U+{(int)c:X4}); use letters, digits, spaces and . _ - ' ( )";
            }
        }

        return null;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");
}
