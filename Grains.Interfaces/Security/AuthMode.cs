namespace Focus.Grains.Security;

/// <summary>The values of <c>Focus:Auth:Mode</c> (CONTRACT §7; configuration spells them in lower case).</summary>
public enum AuthMode
{
    /// <summary>Production's open trust model: no credentials, anyone who reaches a port may use it.</summary>
    None,

    ApiKey,

    Jwt,
}
