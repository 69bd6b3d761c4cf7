using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Focus.Grains.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Focus.Gateway.Security;

/// <summary>
/// <c>Focus:Auth:Mode=apikey</c>: a key sent as <c>Authorization: ApiKey &lt;key&gt;</c> or <c>X-Api-Key: &lt;key&gt;</c>
/// is hashed and compared with every configured SHA-256 in constant time; the identity is the key's name and roles.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IOptions<AuthOptions> auth)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    private readonly IReadOnlyList<(ApiKeyOptions Key, byte[] Hash)> _keys =
        auth.Value.ApiKeys.Select(k => (k, Convert.FromHexString(k.Sha256))).ToList();

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Presented() is not { Length: > 0 } presented) return Task.FromResult(AuthenticateResult.NoResult());

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        ApiKeyOptions? match = null;
        foreach (var (key, expected) in _keys) // every key is compared, so the time taken does not say which matched
            if (CryptographicOperations.FixedTimeEquals(hash, expected)) match = key;
        if (match is null) return Task.FromResult(AuthenticateResult.Fail("unknown API key"));

        var claims = new List<Claim> { new(ClaimTypes.Name, match.Name) };
        claims.AddRange(match.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, ClaimTypes.Name, ClaimTypes.Role));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = 401;
        Response.Headers.WWWAuthenticate = SchemeName;
        return Task.CompletedTask;
    }

    private string? Presented()
    {
        var authorization = Request.Headers.Authorization.ToString();
        if (authorization.StartsWith(SchemeName + " ", StringComparison.OrdinalIgnoreCase))
            return authorization[(SchemeName.Length + 1)..].Trim();
        return Request.Headers[HeaderName].ToString().Trim();
    }
}
