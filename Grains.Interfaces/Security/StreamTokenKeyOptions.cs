namespace Focus.Grains.Security;

/// <summary>One stream-token key: <c>Focus:Auth:StreamTokens:Keys:N:*</c>.</summary>
public sealed class StreamTokenKeyOptions
{
    /// <summary>Named in every token (no dots), so a verifier knows which key to check it with.</summary>
    public string Id { get; set; } = "";

    /// <summary>Base64 of at least 32 random bytes.</summary>
    [Redact]
    public string Secret { get; set; } = "";
}
