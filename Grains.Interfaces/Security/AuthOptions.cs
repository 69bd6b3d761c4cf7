namespace Focus.Grains.Security;

/// <summary>
/// <c>Focus:Auth</c>: who may call the service and how a job's stream is unlocked. Read by the gateway
/// (identities, roles) and by the analyzer (stream tokens), so a process-hosted analyzer, which gets the
/// silo's <c>Focus:*</c> settings, checks the same tokens the gateway hands out.
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Focus:Auth";

    /// <summary><c>none</c> (default), <c>apikey</c> or <c>jwt</c>.</summary>
    public string Mode { get; set; } = AuthModes.None;

    /// <summary>The keys of <c>apikey</c> mode, stored as hashes only.</summary>
    public List<ApiKeyOptions> ApiKeys { get; set; } = [];

    public JwtOptions Jwt { get; set; } = new();

    public StreamTokenOptions StreamTokens { get; set; } = new();

    public bool IsOn => Mode is AuthModes.ApiKey or AuthModes.Jwt;
}

/// <summary>One API key: <c>Focus:Auth:ApiKeys:N:*</c>.</summary>
public sealed class ApiKeyOptions
{
    /// <summary>The identity the key stands for: a job's owner.</summary>
    public string Name { get; set; } = "";

    /// <summary>Lower-case hex SHA-256 of the key (the key itself is never configured).</summary>
    [Redact]
    public string Sha256 { get; set; } = "";

    public List<string> Roles { get; set; } = [];
}

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

/// <summary><c>Focus:Auth:StreamTokens</c>: the HMAC keys of <c>stream_token</c> (see <see cref="StreamTokens"/>).</summary>
public sealed class StreamTokenOptions
{
    /// <summary>Every key a token may be signed with; the old key stays here while its tokens live (rotation).</summary>
    public List<StreamTokenKeyOptions> Keys { get; set; } = [];

    /// <summary>The key new tokens are signed with; empty: the first of <see cref="Keys"/>.</summary>
    public string SigningKeyId { get; set; } = "";

    /// <summary>How long a token opens new calls; a call opened before it expires keeps streaming.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>One stream-token key: <c>Focus:Auth:StreamTokens:Keys:N:*</c>.</summary>
public sealed class StreamTokenKeyOptions
{
    /// <summary>Named in every token (no dots), so a verifier knows which key to check it with.</summary>
    public string Id { get; set; } = "";

    /// <summary>Base64 of at least 32 random bytes.</summary>
    [Redact]
    public string Secret { get; set; } = "";
}
