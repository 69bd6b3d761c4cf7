using System.Globalization;
using System.Text.Json;

namespace Focus.Grains.Jobs;

/// <summary>
/// Strict reads of JSON scalars for request rules: no strings for numbers, no exceptions on huge
/// or odd values. An "integer" is a JSON number with an integral value (<c>1000</c>, <c>1000.0</c>,
/// <c>1e3</c>); <c>1000.5</c> is not.
/// </summary>
internal static class JsonScalars
{
    private const int MaxShown = 40;

    /// <summary>The member's value when present and not <c>null</c> (null counts as absent).</summary>
    public static bool TryGetPresent(JsonElement obj, string name, out JsonElement value)
    {
        if (obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out value) &&
            value.ValueKind != JsonValueKind.Null)
            return true;
        value = default;
        return false;
    }

    public static bool TryGetInteger(JsonElement element, out long value)
    {
        value = 0;
        if (element.ValueKind != JsonValueKind.Number) return false;
        if (element.TryGetInt64(out value)) return true;
        // 1000.0 and 1e3 are integral; decimal holds them exactly (and fails, never throws, beyond ~7.9e28).
        if (element.TryGetDecimal(out var d) && d == decimal.Truncate(d) && d >= long.MinValue && d <= long.MaxValue)
        {
            value = (long)d;
            return true;
        }
        return false;
    }

    /// <summary>A JSON number that fits a finite double (1e400 does not).</summary>
    public static bool TryGetFiniteNumber(JsonElement element, out double value)
    {
        value = 0;
        return element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out value) && double.IsFinite(value);
    }

    /// <summary>The value as the client wrote it, cut short for messages.</summary>
    public static string Show(JsonElement element)
    {
        var raw = element.ValueKind == JsonValueKind.Undefined ? "" : element.GetRawText();
        return raw.Length <= MaxShown ? raw : string.Concat(raw.AsSpan(0, MaxShown), "…");
    }

    public static string Show(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Show(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Show(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
