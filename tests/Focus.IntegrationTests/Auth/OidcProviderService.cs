using System.Buffers.Text;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using Focus.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Focus.IntegrationTests.Auth;

/// <summary>
/// The service in <c>jwt</c> mode with an authority, beside a small OIDC provider of the test's own on loopback: the
/// service finds the signing keys through <c>/.well-known/openid-configuration</c> and its <c>jwks_uri</c>, as it
/// would at a site. <see cref="Rotate"/> makes the provider sign with a new key and publish only that one.
/// </summary>
public sealed class OidcProviderService : FocusService
{
    public const string Audience = "focus-oidc-test";

    private static readonly int ProviderPort = FreePorts.Any();
    private WebApplication? _provider;

    public OidcProviderService() : base(new Dictionary<string, string?>
    {
        ["Focus:Auth:Mode"] = "jwt",
        ["Focus:Auth:Jwt:Authority"] = Authority,
        ["Focus:Auth:Jwt:Audience"] = Audience,
        ["Focus:Auth:Jwt:RequireHttpsMetadata"] = "false", // the test provider is on http; sites keep https
        ["Focus:Auth:StreamTokens:Keys:0:Id"] = "k1",
        ["Focus:Auth:StreamTokens:Keys:0:Secret"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
    })
    {
    }

    public static string Authority => $"http://127.0.0.1:{ProviderPort}";

    /// <summary>The key the provider signs with and publishes now.</summary>
    public RsaSecurityKey CurrentKey { get; private set; } = new(RSA.Create(2048)) { KeyId = "idp-1" };

    /// <summary>How many times the service fetched the key set.</summary>
    public int KeySetFetches => _keySetFetches;

    private int _keySetFetches;

    public void Rotate(string keyId) => CurrentKey = new RsaSecurityKey(RSA.Create(2048)) { KeyId = keyId };

    /// <summary>A token as the provider issues it (its issuer, signed with <paramref name="key"/> or its current key).</summary>
    public string Token(string subject, string[] roles, RsaSecurityKey? key = null) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Subject = new ClaimsIdentity([new Claim("sub", subject)]),
        Claims = new Dictionary<string, object> { ["roles"] = roles },
        Audience = Audience,
        Issuer = Authority,
        Expires = DateTime.UtcNow.AddMinutes(10),
        SigningCredentials = new SigningCredentials(key ?? CurrentKey, SecurityAlgorithms.RsaSha256),
    });

    public HttpClient As(string token)
    {
        var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    public override async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(Authority);
        builder.Logging.ClearProviders();
        _provider = builder.Build();
        _provider.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Authority,
            ["jwks_uri"] = $"{Authority}/jwks",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        _provider.MapGet("/jwks", () =>
        {
            Interlocked.Increment(ref _keySetFetches);
            var p = CurrentKey.Rsa.ExportParameters(false);
            return Results.Text(
                $$"""{"keys":[{"kty":"RSA","use":"sig","alg":"RS256","kid":"{{CurrentKey.KeyId}}","n":"{{Base64Url.EncodeToString(p.Modulus)}}","e":"{{Base64Url.EncodeToString(p.Exponent)}}"}]}""",
                "application/json");
        });
        await _provider.StartAsync();
        await base.InitializeAsync();
    }

    protected override void Authorize(HttpClient http) =>
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token("root", ["operator"]));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_provider is not null) await _provider.DisposeAsync();
    }
}
