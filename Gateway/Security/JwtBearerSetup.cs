using Focus.Grains.Security;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace Focus.Gateway.Security;

/// <summary>
/// <c>Focus:Auth:Mode=jwt</c>: JwtBearer with authority, audience and claims from <c>Focus:Auth:Jwt</c>; keys by
/// OIDC discovery from the authority, or from a configured JWKS (air-gapped sites, tests). Claim names are kept
/// as issued (no mapping to long URIs) so <c>NameClaim</c>/<c>RoleClaim</c> mean what the issuer wrote.
/// </summary>
internal static class JwtBearerSetup
{
    public static void Configure(JwtBearerOptions o, JwtOptions jwt)
    {
        if (jwt.Authority.Length > 0) o.Authority = jwt.Authority;
        o.Audience = jwt.Audience;
        o.RequireHttpsMetadata = jwt.RequireHttpsMetadata;
        o.MapInboundClaims = false;
        o.TokenValidationParameters = new TokenValidationParameters
        {
            ValidAudience = jwt.Audience,
            ValidateAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = jwt.ClockSkew,
            NameClaimType = jwt.NameClaim,
            RoleClaimType = jwt.RoleClaim,
            ValidateIssuer = jwt.Issuer.Length > 0 || jwt.Authority.Length > 0,
            ValidIssuer = jwt.Issuer.Length > 0 ? jwt.Issuer : null,
        };
        if (jwt.Jwks.Length > 0)
            o.TokenValidationParameters.IssuerSigningKeys = new JsonWebKeySet(jwt.Jwks).GetSigningKeys();
    }

    /// <summary>
    /// After JwtBearer made its discovery client: a token is checked against the keys the provider publishes now.
    /// IdentityModel would otherwise also try every "last known good" key set for an hour, so a key the provider
    /// retired (say, because it leaked) would still be honoured.
    /// </summary>
    public static void HonourOnlyPublishedKeys(JwtBearerOptions o)
    {
        if (o.ConfigurationManager is BaseConfigurationManager discovery) discovery.UseLastKnownGoodConfiguration = false;
    }
}
