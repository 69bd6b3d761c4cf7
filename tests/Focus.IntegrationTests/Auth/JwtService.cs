using System.Buffers.Text;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using Focus.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Focus.IntegrationTests.Auth;

/// <summary>
/// The service in <c>jwt</c> mode against a key set of its own (no identity provider): the tests mint their
/// tokens with <see cref="SigningKey"/>, whose public half is the configured JWKS.
/// </summary>
public sealed class JwtService : FocusService
{
    public const string Audience = "focus-test";
    public const string Issuer = "https://issuer.focus.test";

    public static readonly RsaSecurityKey SigningKey = new(RSA.Create(2048)) { KeyId = "test-1" };

    /// <summary>Signs like the site's provider, but is not in the key set.</summary>
    public static readonly RsaSecurityKey StrangerKey = new(RSA.Create(2048)) { KeyId = "test-1" };

    public static readonly string StreamSecret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public JwtService() : base(new Dictionary<string, string?>
    {
        ["Focus:Auth:Mode"] = "jwt",
        ["Focus:Auth:Jwt:Jwks"] = Jwks(SigningKey),
        ["Focus:Auth:Jwt:Audience"] = Audience,
        ["Focus:Auth:Jwt:Issuer"] = Issuer,
        ["Focus:Auth:Jwt:ClockSkew"] = "00:00:00",
        // A small bucket per identity, so the rate-limit test reaches it (the other tests configure a job each).
        ["Focus:RateLimits:Configure:TokenLimit"] = "3",
        ["Focus:RateLimits:Configure:TokensPerPeriod"] = "1",
        ["Focus:RateLimits:Configure:ReplenishmentPeriod"] = "01:00:00",
        ["Focus:Auth:StreamTokens:Keys:0:Id"] = "k1",
        ["Focus:Auth:StreamTokens:Keys:0:Secret"] = StreamSecret,
        // The authentication handlers at their most talkative, so a token they might echo would reach the logs.
        ["Logging:LogLevel:Microsoft.AspNetCore.Authentication"] = "Debug",
        ["Logging:LogLevel:Microsoft.IdentityModel"] = "Debug",
        ["Logging:LogLevel:Focus.Audit"] = "Information",
    })
    {
    }

    /// <summary>Every line the service logged, to search for tokens and keys.</summary>
    public CapturedLogs Logs { get; } = new();

    /// <summary>What must never be written anywhere: the stream-token secret and the signing key's private halves.</summary>
    public static IEnumerable<string> KeyMaterial()
    {
        yield return StreamSecret;
        foreach (var key in new[] { SigningKey, StrangerKey })
        {
            var p = key.Rsa.ExportParameters(true);
            foreach (var part in new[] { p.D!, p.P!, p.Q! })
            {
                yield return Convert.ToBase64String(part)[..32];
                yield return Base64Url.EncodeToString(part)[..32];
            }
        }
    }

    /// <summary>A token for <paramref name="subject"/>; <paramref name="unsigned"/> makes an <c>alg: none</c> token, as a forger would.</summary>
    public static string Token(string subject, string[] roles, string audience = Audience, TimeSpan? expiresIn = null, SecurityKey? key = null, bool unsigned = false)
    {
        var now = DateTime.UtcNow;
        var expires = now + (expiresIn ?? TimeSpan.FromMinutes(5));
        var claims = new Dictionary<string, object> { ["roles"] = roles };
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity([new Claim("sub", subject)]),
            Claims = claims,
            Audience = audience,
            Issuer = Issuer,
            IssuedAt = expires < now ? expires.AddMinutes(-5) : now,
            NotBefore = expires < now ? expires.AddMinutes(-5) : now,
            Expires = expires,
            SigningCredentials = unsigned ? null : new SigningCredentials(key ?? SigningKey, SecurityAlgorithms.RsaSha256),
        });
    }

    public HttpClient As(string? token)
    {
        var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    protected override void ConfigureBuilder(WebApplicationBuilder builder) => builder.Logging.AddProvider(Logs);

    protected override void Authorize(HttpClient http) =>
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token("root", ["operator"], expiresIn: TimeSpan.FromHours(1)));

    private static string Jwks(RsaSecurityKey key)
    {
        var p = key.Rsa.ExportParameters(false);
        return $$"""{"keys":[{"kty":"RSA","use":"sig","alg":"RS256","kid":"{{key.KeyId}}","n":"{{Base64Url.EncodeToString(p.Modulus)}}","e":"{{Base64Url.EncodeToString(p.Exponent)}}"}]}""";
    }
}

/// <summary>The tests of <see cref="JwtService"/> share one service.</summary>
[CollectionDefinition(Name)]
public sealed class JwtCollection : ICollectionFixture<JwtService>
{
    public const string Name = "jwt service";
}
