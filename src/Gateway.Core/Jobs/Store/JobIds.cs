using System.Security.Cryptography;

namespace Gateway.Core.Jobs.Store;

/// <summary>Job ids: 32 lowercase hex digits (random, so they cannot be guessed or enumerated).</summary>
public static class JobIds
{
    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>True for a well-formed id (anything else is answered 404 without touching the store).</summary>
    public static bool IsValid(string? id) => id is { Length: 32 } && id.All(c => char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c));
}
