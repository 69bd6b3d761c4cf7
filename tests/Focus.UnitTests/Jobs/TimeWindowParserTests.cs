using System.Text.Json;
using Focus.Grains.Time;

namespace Focus.UnitTests.Jobs;

public class TimeWindowParserTests
{
    private static TimeWindowParseResult Parse(string json) => TimeWindowParser.Parse(JsonDocument.Parse(json).RootElement);

    [Theory]
    [InlineData("""{"start_time": 1727200000, "end_time": 1727203600}""", 3600)]
    [InlineData("""{"start_time": "251009100000", "end_time": "251009110000", "extra": 1}""", 3600)]
    [InlineData("""{"start_time": "251009100000", "end_time": 1760090400}""", 86400)] // exactly 24 h
    public void A_window_in_either_form(string json, int seconds)
    {
        var result = Parse(json);

        Assert.True(result.IsValid, result.Errors.Detail);
        Assert.Equal(TimeSpan.FromSeconds(seconds), result.Window.Length);
    }

    [Theory]
    [InlineData("""{"end_time": 1727203600}""", "start_time")]
    [InlineData("""{"start_time": null, "end_time": 1727203600}""", "start_time")]
    [InlineData("""{"start_time": 1727200000}""", "end_time")]
    [InlineData("""{"start_time": 1727203600, "end_time": 1727200000}""", "end_time")]
    [InlineData("""{"start_time": 1727200000, "end_time": 1727200000}""", "end_time")]
    [InlineData("""{"start_time": 1727200000, "end_time": 1727286401}""", "end_time")]
    [InlineData("""{"start_time": 1727200000.5, "end_time": 1727203600}""", "start_time")]
    [InlineData("""{"start_time": "251409100000", "end_time": 1727203600}""", "start_time")]
    [InlineData("""{"start_time": 1727200000, "end_time": "later"}""", "end_time")]
    public void A_bad_window_is_one_error_naming_the_field(string json, string field)
    {
        var result = Parse(json);

        Assert.False(result.IsValid);
        Assert.Null(result.Window);
        Assert.Equal(field, Assert.Single(result.Errors).Field);
    }

    [Fact]
    public void Both_times_are_required_here()
    {
        Assert.Equal(["start_time", "end_time"], Parse("{}").Errors.Fields);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("1727200000")]
    public void A_body_that_is_not_an_object_is_one_body_error(string json)
    {
        Assert.Equal("body", Assert.Single(Parse(json).Errors).Field);
    }
}
