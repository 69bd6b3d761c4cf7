namespace Focus.Grains.Security;

/// <summary><c>Focus:Auth:Jwt</c>: OIDC bearer tokens.</summary>
public sealed class JwtOptions
{
    /// <summary>The issuer whose OIDC discovery document gives the signing keys (and the issuer).</summary>
    public string Authority { get; set; } = "";

    /// <summary>A JSON Web Key Set to validate signatures with instead of discovery (air-gapped sites, tests).</summary>
    public string Jwks { get; set; } = "";

    /// <summary>The issuer tokens must name; empty: the authority's (with discovery) or not checked (with <see cref="Jwks"/>).</summary>
    public string Issuer { get; set; } = "";

    public string Audience { get; set; } = "";

    /// <summary>The claim holding the roles (<c>analyst</c>, <c>operator</c>).</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>The claim naming the identity (the job's owner).</summary>
    public string NameClaim { get; set; } = "sub";

    /// <summary>Discovery over https only; off only for a test identity provider.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);
}
