using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Focus.Grains.Jobs;

namespace Focus.Grains.Time;

/// <summary>
/// The time forms a request may use (CONTRACT §1, /configure and /recordings_in_time_range):
/// epoch seconds as a JSON integer (UTC; <c>1727200000</c>, also <c>1727200000.0</c>; never a fraction),
/// or a 12-digit <c>yymmddHHMMSS</c> UTC string (<c>"251009100000"</c>, years 2000..2099).
/// A string is always read as <c>yymmddHHMMSS</c>: epoch seconds in a string are refused, so no
/// digit string has two meanings.
/// </summary>
public static class RequestTime
{
    public const string Rule = "epoch seconds (an integer) or a yymmddHHMMSS UTC string such as \"251009100000\"";
    public const string CompactFormat = "yymmddHHMMSS";

    /// <summary>Largest accepted epoch second: 9999-12-31T23:59:59Z.</summary>
    public const long MaxEpochSeconds = 253_402_300_799;

    public static bool TryParse(JsonElement value, string fieldName, out DateTimeOffset time,
        [NotNullWhen(false)] out string? error)
    {
        error = null;
        switch (value.ValueKind)
        {
            case JsonValueKind.Number when JsonScalars.TryGetInteger(value, out var seconds)
                                           && seconds is >= 0 and <= MaxEpochSeconds:
                time = DateTimeOffset.FromUnixTimeSeconds(seconds);
                return true;
            case JsonValueKind.String when TryParseCompact(value.GetString(), out time):
                return true;
            case JsonValueKind.Null or JsonValueKind.Undefined:
                time = default;
                error = $"{fieldName}: is required, must be {Rule}";
                return false;
            default:
                time = default;
                error = $"{fieldName}: {JsonScalars.Show(value)} is invalid, must be {Rule}";
                return false;
        }
    }

    /// <summary>Reads <c>yymmddHHMMSS</c> (exactly 12 ASCII digits, UTC, 20yy) with calendar checks.</summary>
    public static bool TryParseCompact(string? text, out DateTimeOffset time)
    {
        time = default;
        if (text is not { Length: 12 } || !text.All(char.IsAsciiDigit)) return false;
        int Two(int at) => (text[at] - '0') * 10 + (text[at + 1] - '0');
        int year = 2000 + Two(0), month = Two(2), day = Two(4), hour = Two(6), minute = Two(8), second = Two(10);
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) ||
            hour > 23 || minute > 59 || second > 59)
            return false;
        time = new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero);
        return true;
    }

    /// <summary>Formats as <c>yymmddHHMMSS</c> UTC (years 2000..2099 only).</summary>
    public static string FormatCompact(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        if (utc.Year is < 2000 or > 2099) throw new ArgumentOutOfRangeException(nameof(time), time, "yymmddHHMMSS holds years 2000..2099 only.");
        return utc.ToString("yyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
    }
}
