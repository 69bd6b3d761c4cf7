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
    public AuthMode Mode { get; set; } = AuthMode.None;

    /// <summary>The keys of <c>apikey</c> mode, stored as hashes only.</summary>
    public List<ApiKeyOptions> ApiKeys { get; set; } = [];

    public JwtOptions Jwt { get; set; } = new();

    public StreamTokenOptions StreamTokens { get; set; } = new();

    public bool IsOn => Mode is AuthMode.ApiKey or AuthMode.Jwt;
}
