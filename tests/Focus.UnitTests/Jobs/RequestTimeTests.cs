using System.Globalization;
using System.Text.Json;
using Focus.Grains.Time;

namespace Focus.UnitTests.Jobs;

public class RequestTimeTests
{
    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement;

    private static DateTimeOffset Utc(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    [Theory]
    [InlineData("1727200000", "2024-09-24T17:46:40Z")]
    [InlineData("1727200000.0", "2024-09-24T17:46:40Z")]
    [InlineData("1.7272e9", "2024-09-24T17:46:40Z")]
    [InlineData("0", "1970-01-01T00:00:00Z")]
    [InlineData("253402300799", "9999-12-31T23:59:59Z")]
    [InlineData("\"251009100000\"", "2025-10-09T10:00:00Z")]
    [InlineData("\"000101000000\"", "2000-01-01T00:00:00Z")]
    [InlineData("\"991231235959\"", "2099-12-31T23:59:59Z")]
    [InlineData("\"240229120000\"", "2024-02-29T12:00:00Z")] // leap day
    public void Reads_epoch_seconds_and_yymmddHHMMSS_as_utc(string json, string expected)
    {
        Assert.True(RequestTime.TryParse(Json(json), "start_time", out var time, out var error), error);
        Assert.Equal(Utc(expected), time);
        Assert.Equal(TimeSpan.Zero, time.Offset);
    }

    [Theory]
    [InlineData("1727200000.5")]
    [InlineData("-1")]
    [InlineData("253402300800")]
    [InlineData("1e400")]
    [InlineData("99999999999999999999")]
    [InlineData("\"1727200000\"")]     // a string is always yymmddHHMMSS
    [InlineData("\"\"")]
    [InlineData("\"NaN\"")]
    [InlineData("\"250229000000\"")]   // 2025 is no leap year
    [InlineData("\"251309100000\"")]   // month 13
    [InlineData("\"250001000000\"")]   // month 0
    [InlineData("\"251032000000\"")]   // day 32
    [InlineData("\"251009240000\"")]   // hour 24
    [InlineData("\"251009106000\"")]   // minute 60
    [InlineData("\"251009100060\"")]   // second 60
    [InlineData("\"25100910000\"")]    // 11 digits
    [InlineData("\"2510091000000\"")]  // 13 digits
    [InlineData("\"25100910000Z\"")]
    [InlineData("\"２５１００９１０００００\"")] // full-width digits are not ASCII digits
    [InlineData("\"2025-10-09T10:00:00Z\"")]
    [InlineData("true")]
    [InlineData("[1727200000]")]
    [InlineData("{}")]
    [InlineData("null")]
    public void Refuses_everything_else_naming_the_field(string json)
    {
        Assert.False(RequestTime.TryParse(Json(json), "end_time", out _, out var error));
        Assert.StartsWith("end_time: ", error, StringComparison.Ordinal);
        Assert.Contains("yymmddHHMMSS", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Compact_form_round_trips()
    {
        Assert.True(RequestTime.TryParseCompact("251009100000", out var time));
        Assert.Equal("251009100000", RequestTime.FormatCompact(time));
        Assert.Throws<ArgumentOutOfRangeException>(() => RequestTime.FormatCompact(Utc("1999-12-31T23:59:59Z")));
    }
}
