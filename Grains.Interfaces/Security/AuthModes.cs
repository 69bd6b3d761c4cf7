namespace Focus.Grains.Security;

/// <summary>The values of <c>Focus:Auth:Mode</c> (CONTRACT §7).</summary>
public static class AuthModes
{
    /// <summary>Production's open trust model: no credentials, anyone who reaches a port may use it.</summary>
    public const string None = "none";

    public const string ApiKey = "apikey";

    public const string Jwt = "jwt";

    public static readonly IReadOnlyList<string> All = [None, ApiKey, Jwt];
}
