namespace Focus.Grains.Security;

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
