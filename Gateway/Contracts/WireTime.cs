using System.Globalization;

namespace Focus.Gateway.Contracts;

/// <summary>Times in responses: ISO 8601 UTC with milliseconds and Z (CONTRACT §1).</summary>
public static class WireTime
{
    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string? Format(DateTimeOffset? time) => time is { } t ? Format(t) : null;
}
