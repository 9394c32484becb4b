using Gateway.Core.Auth;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.UnitTests.Auth;

public sealed class ApiKeysTests
{
    [Fact]
    public void Verify_MatchingKey_FindsItAndNeverAnotherOrAPrefix()
    {
        var keys = new ApiKeys(new AuthOptions
        {
            Keys =
            [
                new() { Name = "a", Hash = ApiKeys.HashOf("key-a"), Scopes = [Scopes.Stream] },
                new() { Name = "b", Hash = ApiKeys.HashOf("key-b"), Scopes = [Scopes.Jobs] },
            ],
        }.Keys);

        Assert.Equal("b", keys.Verify("key-b")?.Name);
        Assert.Null(keys.Verify("key-"));
        Assert.Null(keys.Verify("KEY-B"));
        Assert.Null(keys.Verify(""));
    }
}

public sealed class GrantTokensTests
{
    private static readonly FakeTimeProvider Time = new(DateTimeOffset.Parse("2026-12-01T10:00:00Z"));

    [Fact]
    public void Verify_IssuedGrant_CarriesKeyScopesAndRoomUntilItExpires()
    {
        var grants = new GrantTokens(Options.Create(new AuthOptions { GrantSecret = Convert.ToBase64String(new byte[32]) }), Time);
        var token = grants.Issue("app", [Scopes.Stream], TimeSpan.FromSeconds(30), "lobby");

        var caller = grants.Verify(token, out _)!;
        Assert.Equal("app", caller.KeyName);
        Assert.True(caller.ViaGrant && caller.Has(Scopes.Stream) && !caller.Has(Scopes.Admin));
        Assert.Equal("lobby", caller.Room);

        Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Null(grants.Verify(token, out var problem));
        Assert.Equal("the grant has expired", problem);
    }

    [Fact]
    public void Verify_OtherSecretOrEditedPayload_SignatureDoesNotMatch()
    {
        var one = new GrantTokens(Options.Create(new AuthOptions()), Time);
        var other = new GrantTokens(Options.Create(new AuthOptions()), Time);
        var token = one.Issue("app", [Scopes.Stream], TimeSpan.FromMinutes(1), null);
        var parts = token.Split('.');
        var widened = one.Issue("app", [Scopes.Stream, Scopes.Admin], TimeSpan.FromMinutes(1), null).Split('.')[1];

        Assert.Null(other.Verify(token, out var problem));
        Assert.Equal("the grant's signature does not match", problem);
        Assert.Null(one.Verify($"{parts[0]}.{widened}.{parts[2]}", out problem));
        Assert.Equal("the grant's signature does not match", problem);
        Assert.Null(one.Verify("g1.garbage", out problem));
        Assert.Equal("the grant is malformed", problem);
    }
}

public sealed class AuthOptionsValidatorTests
{
    [Fact]
    public void Validate_BadKeysAndValues_EveryErrorAtOnce()
    {
        var result = new AuthOptionsValidator().Validate(null, new AuthOptions
        {
            Keys = [new() { Name = "a", Hash = "abc", Scopes = ["stream", "everything"] }, new() { Name = "a", Hash = ApiKeys.HashOf("x") }],
            GrantSecret = "c2hvcnQ=",
            AllowedOrigins = ["https://app.example.com/path"],
            FunAsr = "open",
            FunAsrNetworks = ["10.0.0.0/33"],
        });

        Assert.Equal(
            [
                "Auth:Keys:0:Hash must be \"sha256:\" followed by 64 hex digits (printf %s \"$KEY\" | sha256sum).",
                "Auth:Keys:0:Scopes has unknown scope \"everything\"; use stream, jobs, ingest, rooms-view, admin, metrics.",
                "Auth:Keys:1:Name \"a\" is used by another key.",
                "Auth:Keys:1:Scopes must list at least one of stream, jobs, ingest, rooms-view, admin, metrics.",
                "Auth:GrantSecret must be base64 of at least 32 bytes.",
                "Auth:AllowedOrigins has \"https://app.example.com/path\", which is not an origin such as https://app.example.com.",
                "Auth:FunAsr must be token or network (was \"open\").",
                "Auth:FunAsrNetworks has \"10.0.0.0/33\", which is not a CIDR block such as 10.0.0.0/8.",
            ],
            result.Failures);
    }
}

public sealed class LoopbackBindTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8080", true)]
    [InlineData("http://localhost:5000", true)]
    [InlineData("http://[::1]:8080", true)]
    [InlineData("http://0.0.0.0:8080", false)]
    [InlineData("http://+:80", false)]
    [InlineData("http://*:80", false)]
    [InlineData("http://[::]:8080", false)]
    [InlineData("http://10.1.2.3:8080", false)]
    public void IsLoopback_ListenAddress_OnlyLoopbackKeepsAuthOffByDefault(string address, bool loopback)
    {
        Assert.Equal(loopback, AuthMiddleware.IsLoopback(address));
    }
}
