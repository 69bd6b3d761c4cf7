using Focus.Grains.Security;

namespace Focus.UnitTests.Security;

public sealed class AuthOptionsValidatorTests
{
    private static readonly string Secret = Convert.ToBase64String(new byte[32]);
    private static readonly string Hash = new('a', 64);

    private static StreamTokenOptions Tokens() => new() { Keys = [new StreamTokenKeyOptions { Id = "k1", Secret = Secret }] };

    private static IEnumerable<string> Failures(AuthOptions options) =>
        new AuthOptionsValidator().Validate(null, options).Failures ?? [];

    [Fact]
    public void None_needs_nothing() => Assert.Empty(Failures(new AuthOptions()));

    [Fact]
    public void An_unknown_mode_is_named_with_the_valid_ones() =>
        Assert.Contains(Failures(new AuthOptions { Mode = (AuthMode)7 }), f => f.Contains("Focus:Auth:Mode is '7'; use none, apikey or jwt."));

    [Fact]
    public void Api_keys_need_a_name_a_lower_case_sha256_and_known_roles_and_never_echo_the_hash()
    {
        var failures = Failures(new AuthOptions
        {
            Mode = AuthMode.ApiKey,
            StreamTokens = Tokens(),
            ApiKeys =
            [
                new ApiKeyOptions { Name = "", Sha256 = Hash.ToUpperInvariant(), Roles = ["admin"] },
                new ApiKeyOptions { Name = "ok", Sha256 = Hash, Roles = [] },
            ],
        }).ToList();
        Assert.Contains(failures, f => f.Contains("Focus:Auth:ApiKeys:0:Name"));
        Assert.Contains(failures, f => f.Contains("Focus:Auth:ApiKeys:0:Sha256"));
        Assert.Contains(failures, f => f.Contains("Focus:Auth:ApiKeys:0:Roles has 'admin'"));
        Assert.Contains(failures, f => f.Contains("Focus:Auth:ApiKeys:1:Roles is empty"));
        Assert.All(failures, f => Assert.DoesNotContain(Hash, f, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Jwt_needs_an_authority_or_key_set_and_an_audience()
    {
        var failures = Failures(new AuthOptions { Mode = AuthMode.Jwt, StreamTokens = Tokens() }).ToList();
        Assert.Contains(failures, f => f.Contains("Focus:Auth:Jwt:Authority and Focus:Auth:Jwt:Jwks are both empty"));
        Assert.Contains(failures, f => f.Contains("Focus:Auth:Jwt:Audience is empty"));
        Assert.Empty(Failures(new AuthOptions
        {
            Mode = AuthMode.Jwt, StreamTokens = Tokens(),
            Jwt = new JwtOptions { Authority = "https://login.example/realms/focus", Audience = "focus" },
        }));
    }

    [Fact]
    public void Auth_on_needs_a_stream_token_key_of_32_bytes_and_never_echoes_it()
    {
        var shortSecret = Convert.ToBase64String(new byte[16]);
        var failures = Failures(new AuthOptions
        {
            Mode = AuthMode.ApiKey,
            ApiKeys = [new ApiKeyOptions { Name = "a", Sha256 = Hash, Roles = [FocusRoles.Analyst] }],
            StreamTokens = new StreamTokenOptions { Keys = [new StreamTokenKeyOptions { Id = "a.b", Secret = shortSecret }], SigningKeyId = "k9" },
        }).ToList();
        Assert.Contains(failures, f => f.Contains("Focus:Auth:StreamTokens:Keys:0:Id is 'a.b'"));
        Assert.Contains(failures, f => f.Contains("Focus:Auth:StreamTokens:Keys:0:Secret is not base64 of at least 32 bytes"));
        Assert.Contains(failures, f => f.Contains("Focus:Auth:StreamTokens:SigningKeyId is 'k9'"));
        Assert.All(failures, f => Assert.DoesNotContain(shortSecret, f));
        Assert.Contains(Failures(new AuthOptions { Mode = AuthMode.ApiKey, ApiKeys = [new ApiKeyOptions { Name = "a", Sha256 = Hash, Roles = [FocusRoles.Analyst] }] }),
            f => f.Contains("Focus:Auth:StreamTokens:Keys is empty"));
    }
}
