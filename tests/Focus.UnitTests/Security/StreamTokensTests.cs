using Focus.Grains.Security;
using Microsoft.Extensions.Time.Testing;

namespace Focus.UnitTests.Security;

public sealed class StreamTokensTests
{
    private static readonly string OldSecret = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
    private static readonly string NewSecret = Convert.ToBase64String(Enumerable.Range(100, 32).Select(i => (byte)i).ToArray());
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-03-01T12:00:00Z"));

    private StreamTokens Tokens(string signing, params (string Id, string Secret)[] keys) => new(new StreamTokenOptions
    {
        Keys = keys.Select(k => new StreamTokenKeyOptions { Id = k.Id, Secret = k.Secret }).ToList(),
        SigningKeyId = signing,
        Lifetime = TimeSpan.FromMinutes(10),
    }, _clock);

    [Fact]
    public void A_token_opens_its_own_job_until_it_expires_and_never_another()
    {
        var tokens = Tokens("old", ("old", OldSecret));
        var token = tokens.Mint("17-4821");
        Assert.StartsWith("old.", token);
        Assert.Equal(StreamTokenCheck.Valid, tokens.Check($"Bearer {token}", "17-4821"));
        Assert.Equal(StreamTokenCheck.OtherJob, tokens.Check($"Bearer {token}", "17-4822"));
        _clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(StreamTokenCheck.Expired, tokens.Check($"Bearer {token}", "17-4821"));
    }

    [Theory]
    [InlineData(null, StreamTokenCheck.Missing)]
    [InlineData("", StreamTokenCheck.Missing)]
    [InlineData("Basic abc", StreamTokenCheck.Missing)]
    [InlineData("Bearer abc", StreamTokenCheck.Invalid)]
    [InlineData("Bearer old.MS0x.99999999999.AAAA", StreamTokenCheck.Invalid)]
    [InlineData("Bearer nokey.MS0x.99999999999.AAAA", StreamTokenCheck.Invalid)]
    [InlineData("Bearer old.!!.1.!!", StreamTokenCheck.Invalid)]
    public void Anything_but_a_signed_token_is_refused(string? authorization, StreamTokenCheck expected) =>
        Assert.Equal(expected, Tokens("old", ("old", OldSecret)).Check(authorization, "1-1"));

    [Fact]
    public void A_changed_job_id_or_expiry_breaks_the_signature()
    {
        var tokens = Tokens("old", ("old", OldSecret));
        var parts = tokens.Mint("1-1").Split('.');
        var otherJob = string.Join('.', parts[0], System.Buffers.Text.Base64Url.EncodeToString("1-2"u8), parts[2], parts[3]);
        var longer = string.Join('.', parts[0], parts[1], (long.Parse(parts[2]) + 3600).ToString(), parts[3]);
        Assert.Equal(StreamTokenCheck.Invalid, tokens.Check($"Bearer {otherJob}", "1-2"));
        Assert.Equal(StreamTokenCheck.Invalid, tokens.Check($"Bearer {longer}", "1-1"));
    }

    [Fact]
    public void Rotation_signs_with_the_new_key_and_still_accepts_the_old_ones_tokens()
    {
        var before = Tokens("old", ("old", OldSecret));
        var during = Tokens("new", ("old", OldSecret), ("new", NewSecret));
        var after = Tokens("new", ("new", NewSecret));
        var oldToken = before.Mint("1-1");
        var newToken = during.Mint("1-1");
        Assert.StartsWith("new.", newToken);
        Assert.Equal(StreamTokenCheck.Valid, during.Check($"Bearer {oldToken}", "1-1"));
        Assert.Equal(StreamTokenCheck.Valid, during.Check($"Bearer {newToken}", "1-1"));
        Assert.Equal(StreamTokenCheck.Invalid, after.Check($"Bearer {oldToken}", "1-1"));
        Assert.Equal(StreamTokenCheck.Valid, after.Check($"Bearer {newToken}", "1-1"));
    }
}
