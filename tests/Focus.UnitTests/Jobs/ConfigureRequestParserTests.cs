using Focus.Grains.Jobs;
using static Focus.UnitTests.Jobs.ConfigureBodies;

namespace Focus.UnitTests.Jobs;

public class ConfigureRequestParserTests
{
    [Fact]
    public void The_contract_example_parses()
    {
        var result = ConfigureRequestParser.Parse(Parse(Valid));

        Assert.True(result.IsValid, result.Errors.Detail);
        Assert.Equal(new ConfigureRequest
        {
            ViewType = ViewType.Multichannel, Height = 1000, ChannelMin = 1, ChannelMax = 50, NfftSelection = 1024,
            DisplayTimeAxisDuration = 10, FrequencyMin = 0, FrequencyMax = 500,
        }, result.Request);
        Assert.False(result.Request.IsHistoric);
        Assert.True(result.Errors.IsEmpty);
    }

    [Fact]
    public void Optional_fields_left_out_stay_null_for_their_defaults()
    {
        var result = ConfigureRequestParser.Parse(Parse("""{"view_type": 0, "displayInfo": {"height": 1000}, "channels": {"min": 1, "max": 50}}"""));

        Assert.True(result.IsValid, result.Errors.Detail);
        Assert.Null(result.Request.NfftSelection);
        Assert.Null(result.Request.DisplayTimeAxisDuration);
        Assert.Null(result.Request.FrequencyMin);
        Assert.Null(result.Request.FrequencyMax);
        Assert.Null(result.Request.StartTime);
        Assert.Null(result.Request.EndTime);
    }

    [Fact]
    public void Explicit_nulls_everywhere_optional_parse_like_absence()
    {
        var result = ConfigureRequestParser.Parse(Parse("""
            {"view_type": 0, "displayInfo": {"height": 1000}, "channels": {"min": 1, "max": 50},
             "nfftSelection": null, "displayTimeAxisDuration": null, "frequencyRange": null, "start_time": null, "end_time": null}
            """));

        Assert.True(result.IsValid, result.Errors.Detail);
        Assert.Equal(new ConfigureRequest { ViewType = ViewType.Multichannel, Height = 1000, ChannelMin = 1, ChannelMax = 50 }, result.Request);
    }

    [Fact]
    public void Unknown_fields_are_ignored()
    {
        var result = ConfigureRequestParser.Parse(Patched("""
            {"colorMap": "jet", "displayInfo": {"width": 1920}, "channels": {"step": 2}, "frequencyRange": {"unit": "Hz"}, "View_Type": "nonsense"}
            """));

        Assert.True(result.IsValid, result.Errors.Detail);
    }

    [Theory]
    [InlineData("0", ViewType.Multichannel)]
    [InlineData("\"0\"", ViewType.Multichannel)]
    [InlineData("\"MULTICHANNEL\"", ViewType.Multichannel)]
    [InlineData("\"multichannel\"", ViewType.Multichannel)]
    [InlineData("\"MultiChannel\"", ViewType.Multichannel)]
    [InlineData("0.0", ViewType.Multichannel)]
    [InlineData("1", ViewType.Singlechannel)]
    [InlineData("\"1\"", ViewType.Singlechannel)]
    [InlineData("\"SINGLECHANNEL\"", ViewType.Singlechannel)]
    [InlineData("\"singlechannel\"", ViewType.Singlechannel)]
    [InlineData("2", ViewType.Waterfall)]
    [InlineData("\"2\"", ViewType.Waterfall)]
    [InlineData("\"WATERFALL\"", ViewType.Waterfall)]
    [InlineData("\"waterfall\"", ViewType.Waterfall)]
    public void View_type_is_the_integer_its_string_or_its_name(string viewType, ViewType expected)
    {
        var result = ConfigureRequestParser.Parse(Parse(
            $$$"""{"view_type": {{{viewType}}}, "displayInfo": {"height": 500}, "channels": {"min": 7, "max": 7}}"""));

        Assert.True(result.IsValid, result.Errors.Detail);
        Assert.Equal(expected, result.Request.ViewType);
    }

    [Theory]
    [InlineData("1000.0", 1000)]
    [InlineData("1e3", 1000)]
    [InlineData("1", 1)]
    [InlineData("10000", 10000)]
    public void An_integer_field_takes_any_integral_number(string height, int expected)
    {
        var result = ConfigureRequestParser.Parse(Patched($$$"""{"displayInfo": {"height": {{{height}}}}}"""));

        Assert.True(result.IsValid, result.Errors.Detail);
        Assert.Equal(expected, result.Request.Height);
    }

    [Fact]
    public void Waterfall_accepts_nfftSelection_1_and_an_empty_frequencyRange()
    {
        var result = ConfigureRequestParser.Parse(Patched("""{"nfftSelection": 1, "frequencyRange": {}}""", ValidWaterfall));

        Assert.True(result.IsValid, result.Errors.Detail);
        Assert.Equal(ViewType.Waterfall, result.Request.ViewType);
        Assert.Null(result.Request.NfftSelection);
        Assert.Null(result.Request.FrequencyMin);
    }

    [Theory]
    [InlineData("""{"frequencyRange": {"min": 100, "max": null}}""", 100.0, null)]
    [InlineData("""{"frequencyRange": {"min": null, "max": 200}}""", null, 200.0)]
    [InlineData("""{"frequencyRange": {"min": 0.5, "max": 1.5}}""", 0.5, 1.5)]
    [InlineData("""{"frequencyRange": {"min": 0, "max": 1}}""", 0.0, 1.0)]
    public void A_partial_frequencyRange_leaves_its_missing_end_to_the_default(string patch, double? min, double? max)
    {
        var result = ConfigureRequestParser.Parse(Patched(patch));

        Assert.True(result.IsValid, result.Errors.Detail);
        Assert.Equal(min, result.Request.FrequencyMin);
        Assert.Equal(max, result.Request.FrequencyMax);
    }

    [Theory]
    [InlineData("1727200000", "1727203600", "2024-09-24T17:46:40Z", "2024-09-24T18:46:40Z")]
    [InlineData("1727200000.0", "1727203600", "2024-09-24T17:46:40Z", "2024-09-24T18:46:40Z")]
    [InlineData("\"251009100000\"", "\"251009110000\"", "2025-10-09T10:00:00Z", "2025-10-09T11:00:00Z")]
    [InlineData("\"251009100000\"", "1760007600", "2025-10-09T10:00:00Z", "2025-10-09T11:00:00Z")]
    [InlineData("1727200000", "1727286400", "2024-09-24T17:46:40Z", "2024-09-25T17:46:40Z")] // exactly 24 h
    public void Historic_windows_take_epoch_seconds_or_yymmddHHMMSS(string start, string end, string expectedStart, string expectedEnd)
    {
        var result = ConfigureRequestParser.Parse(Patched($$"""{"start_time": {{start}}, "end_time": {{end}}}"""));

        Assert.True(result.IsValid, result.Errors.Detail);
        Assert.True(result.Request.IsHistoric);
        Assert.Equal(DateTimeOffset.Parse(expectedStart, System.Globalization.CultureInfo.InvariantCulture), result.Request.StartTime);
        Assert.Equal(DateTimeOffset.Parse(expectedEnd, System.Globalization.CultureInfo.InvariantCulture), result.Request.EndTime);
        Assert.Equal(TimeSpan.Zero, result.Request.StartTime!.Value.Offset);
    }

    public static TheoryData<string, string> OneRuleBroken => new()
    {
        // view_type: required, 0/1/2, integer / its string / its name
        { """{"view_type": null}""", "view_type" },
        { """{"view_type": 3}""", "view_type" },
        { """{"view_type": -1}""", "view_type" },
        { """{"view_type": 0.5}""", "view_type" },
        { """{"view_type": "3"}""", "view_type" },
        { """{"view_type": " 0"}""", "view_type" },
        { """{"view_type": "SPECTROGRAM"}""", "view_type" },
        { """{"view_type": ""}""", "view_type" },
        { """{"view_type": true}""", "view_type" },
        { """{"view_type": [0]}""", "view_type" },
        { """{"view_type": {"value": 0}}""", "view_type" },
        { """{"view_type": 99999999999999999999}""", "view_type" },
        // displayInfo.height: required integer 1..10000
        { """{"displayInfo": null}""", "displayInfo" },
        { """{"displayInfo": 1000}""", "displayInfo" },
        { """{"displayInfo": [1000]}""", "displayInfo" },
        { """{"displayInfo": {"height": null}}""", "displayInfo.height" },
        { """{"displayInfo": {"height": 0}}""", "displayInfo.height" },
        { """{"displayInfo": {"height": -5}}""", "displayInfo.height" },
        { """{"displayInfo": {"height": 10001}}""", "displayInfo.height" },
        { """{"displayInfo": {"height": 1000.5}}""", "displayInfo.height" },
        { """{"displayInfo": {"height": 0.001}}""", "displayInfo.height" },
        { """{"displayInfo": {"height": "1000"}}""", "displayInfo.height" },
        { """{"displayInfo": {"height": "NaN"}}""", "displayInfo.height" },
        { """{"displayInfo": {"height": true}}""", "displayInfo.height" },
        { """{"displayInfo": {"height": {"lines": 1000}}}""", "displayInfo.height" },
        { """{"displayInfo": {"height": [1000]}}""", "displayInfo.height" },
        { """{"displayInfo": {"height": 1e400}}""", "displayInfo.height" },
        { """{"displayInfo": {"height": -1e400}}""", "displayInfo.height" },
        { """{"displayInfo": {"height": 99999999999999999999}}""", "displayInfo.height" },
        { """{"displayInfo": {"height": 123456789012345678901234567890123456789}}""", "displayInfo.height" },
        // channels: required object of integers >= 1, min <= max
        { """{"channels": null}""", "channels" },
        { """{"channels": "1-50"}""", "channels" },
        { """{"channels": [1, 50]}""", "channels" },
        { """{"channels": {"min": null}}""", "channels.min" },
        { """{"channels": {"min": 0}}""", "channels.min" },
        { """{"channels": {"min": -3}}""", "channels.min" },
        { """{"channels": {"min": 1.5}}""", "channels.min" },
        { """{"channels": {"min": "1"}}""", "channels.min" },
        { """{"channels": {"min": false}}""", "channels.min" },
        { """{"channels": {"min": 1e400}}""", "channels.min" },
        { """{"channels": {"max": null}}""", "channels.max" },
        { """{"channels": {"max": 0}}""", "channels.max" },
        { """{"channels": {"max": 49.99}}""", "channels.max" },
        { """{"channels": {"max": "NaN"}}""", "channels.max" },
        { """{"channels": {"max": 99999999999999999999}}""", "channels.max" },
        { """{"channels": {"max": 2147483648}}""", "channels.max" },
        { """{"channels": {"min": 50, "max": 10}}""", "channels" },
        { """{"view_type": 1, "channels": {"min": 3, "max": 4}}""", "channels" },
        { """{"view_type": "SINGLECHANNEL"}""", "channels" },
        // nfftSelection: power of two 128..65536 (spectral), absent or 1 (WATERFALL)
        { """{"nfftSelection": 1000}""", "nfftSelection" },
        { """{"nfftSelection": 64}""", "nfftSelection" },
        { """{"nfftSelection": 131072}""", "nfftSelection" },
        { """{"nfftSelection": 0}""", "nfftSelection" },
        { """{"nfftSelection": -1024}""", "nfftSelection" },
        { """{"nfftSelection": 1}""", "nfftSelection" },
        { """{"nfftSelection": 1024.5}""", "nfftSelection" },
        { """{"nfftSelection": "1024"}""", "nfftSelection" },
        { """{"nfftSelection": "NaN"}""", "nfftSelection" },
        { """{"nfftSelection": 1e400}""", "nfftSelection" },
        { """{"nfftSelection": 99999999999999999999}""", "nfftSelection" },
        { """{"nfftSelection": [1024]}""", "nfftSelection" },
        { """{"view_type": 2, "nfftSelection": 1024, "displayTimeAxisDuration": null, "frequencyRange": null}""", "nfftSelection" },
        { """{"view_type": 2, "nfftSelection": 0, "displayTimeAxisDuration": null, "frequencyRange": null}""", "nfftSelection" },
        { """{"view_type": 2, "nfftSelection": "1", "displayTimeAxisDuration": null, "frequencyRange": null}""", "nfftSelection" },
        // displayTimeAxisDuration: 0 < d <= 3600, finite; absent for WATERFALL
        { """{"displayTimeAxisDuration": 0}""", "displayTimeAxisDuration" },
        { """{"displayTimeAxisDuration": -1}""", "displayTimeAxisDuration" },
        { """{"displayTimeAxisDuration": 3600.001}""", "displayTimeAxisDuration" },
        { """{"displayTimeAxisDuration": 1e400}""", "displayTimeAxisDuration" },
        { """{"displayTimeAxisDuration": "10"}""", "displayTimeAxisDuration" },
        { """{"displayTimeAxisDuration": "NaN"}""", "displayTimeAxisDuration" },
        { """{"displayTimeAxisDuration": "Infinity"}""", "displayTimeAxisDuration" },
        { """{"displayTimeAxisDuration": true}""", "displayTimeAxisDuration" },
        { """{"displayTimeAxisDuration": {"seconds": 10}}""", "displayTimeAxisDuration" },
        { """{"view_type": 2, "nfftSelection": null, "frequencyRange": null}""", "displayTimeAxisDuration" },
        // frequencyRange: numbers >= 0, max - min >= 1; absent for WATERFALL
        { """{"frequencyRange": "0-500"}""", "frequencyRange" },
        { """{"frequencyRange": [0, 500]}""", "frequencyRange" },
        { """{"frequencyRange": {"min": -1}}""", "frequencyRange.min" },
        { """{"frequencyRange": {"min": "0"}}""", "frequencyRange.min" },
        { """{"frequencyRange": {"min": "NaN"}}""", "frequencyRange.min" },
        { """{"frequencyRange": {"min": 1e400}}""", "frequencyRange.min" },
        { """{"frequencyRange": {"min": true}}""", "frequencyRange.min" },
        { """{"frequencyRange": {"max": -1}}""", "frequencyRange.max" },
        { """{"frequencyRange": {"max": "500"}}""", "frequencyRange.max" },
        { """{"frequencyRange": {"max": "-Infinity"}}""", "frequencyRange.max" },
        { """{"frequencyRange": {"max": {"hz": 500}}}""", "frequencyRange.max" },
        { """{"frequencyRange": {"min": 100, "max": 100.5}}""", "frequencyRange" },
        { """{"frequencyRange": {"min": 500, "max": 0}}""", "frequencyRange" },
        { """{"frequencyRange": {"min": null, "max": 0.5}}""", "frequencyRange" },
        { """{"view_type": 2, "nfftSelection": null, "displayTimeAxisDuration": null}""", "frequencyRange" },
        { """{"view_type": 2, "nfftSelection": null, "displayTimeAxisDuration": null, "frequencyRange": {"min": null, "max": 10}}""", "frequencyRange" },
        { """{"view_type": 2, "nfftSelection": null, "displayTimeAxisDuration": null, "frequencyRange": "all"}""", "frequencyRange" },
        // start_time / end_time: both or neither; integer epoch seconds or yymmddHHMMSS; end > start; <= 24 h
        { """{"start_time": 1727200000}""", "end_time" },
        { """{"end_time": 1727203600}""", "start_time" },
        { """{"start_time": "251009100000"}""", "end_time" },
        { """{"start_time": 1727203600, "end_time": 1727200000}""", "end_time" },
        { """{"start_time": 1727200000, "end_time": 1727200000}""", "end_time" },
        { """{"start_time": 1727200000, "end_time": 1727286401}""", "end_time" },
        { """{"start_time": "251009100000", "end_time": "251010100001"}""", "end_time" },
        { """{"start_time": 1727200000.5, "end_time": 1727203600}""", "start_time" },
        { """{"start_time": 1727200000, "end_time": 1727203600.25}""", "end_time" },
        { """{"start_time": -1, "end_time": 1727203600}""", "start_time" },
        { """{"start_time": 1e400, "end_time": 1727203600}""", "start_time" },
        { """{"start_time": 99999999999999999999, "end_time": 1727203600}""", "start_time" },
        { """{"start_time": "1727200000", "end_time": 1727203600}""", "start_time" },
        { """{"start_time": "NaN", "end_time": 1727203600}""", "start_time" },
        { """{"start_time": true, "end_time": 1727203600}""", "start_time" },
        { """{"start_time": [1727200000], "end_time": 1727203600}""", "start_time" },
        { """{"start_time": {"epoch": 1727200000}, "end_time": 1727203600}""", "start_time" },
        { """{"start_time": "251309100000", "end_time": "251009110000"}""", "start_time" },  // month 13
        { """{"start_time": "250230100000", "end_time": "250301100000"}""", "start_time" },  // 30 February
        { """{"start_time": "251000100000", "end_time": "251009110000"}""", "start_time" },  // day 0
        { """{"start_time": "251009100000", "end_time": "251009240000"}""", "end_time" },    // hour 24
        { """{"start_time": "251009106000", "end_time": "251009110000"}""", "start_time" },  // minute 60
        { """{"start_time": "251009100060", "end_time": "251009110000"}""", "start_time" },  // second 60
        { """{"start_time": "2510091000", "end_time": "251009110000"}""", "start_time" },    // 10 digits
        { """{"start_time": "2510091000000", "end_time": "251009110000"}""", "start_time" },  // 13 digits
        { """{"start_time": "25-10-09 10:00", "end_time": "251009110000"}""", "start_time" },
        { """{"start_time": "2025-10-09T10:00:00Z", "end_time": "251009110000"}""", "start_time" },
    };

    [Theory]
    [MemberData(nameof(OneRuleBroken))]
    public void Each_rule_broken_alone_gives_one_error_keyed_by_its_field(string patch, string field)
    {
        var result = ConfigureRequestParser.Parse(Patched(patch));

        Assert.False(result.IsValid);
        Assert.Null(result.Request);
        var error = Assert.Single(result.Errors);
        Assert.Equal(field, error.Field);
        Assert.StartsWith(field + ": ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_message_names_the_field_and_the_rule_in_the_contract_wording()
    {
        var result = ConfigureRequestParser.Parse(Patched("""{"nfftSelection": 1000}"""));

        Assert.Equal("nfftSelection: 1000 is invalid, must be a power of 2 between 128 and 65536 (maximum)", result.Errors.Detail);
        Assert.Equal(["nfftSelection: 1000 is invalid, must be a power of 2 between 128 and 65536 (maximum)"], result.Errors["nfftSelection"]);
    }

    [Theory]
    [InlineData("""{"displayInfo": {"height": 0}}""", "displayInfo.height: 0 is invalid, must be an integer between 1 and 10000")]
    [InlineData("""{"displayInfo": null}""", "displayInfo: is required, must be an object with height, an integer between 1 and 10000")]
    [InlineData("""{"channels": {"min": 50, "max": 10}}""", "channels: min 50 and max 10 are invalid, must be min <= max")]
    [InlineData("""{"view_type": "X"}""", "view_type: \"X\" is invalid, must be 0 (MULTICHANNEL), 1 (SINGLECHANNEL) or 2 (WATERFALL): the integer, its string or its name")]
    [InlineData("""{"start_time": 1727200000}""", "end_time: is required when start_time is set (historic job), must be epoch seconds (an integer) or a yymmddHHMMSS UTC string such as \"251009100000\"")]
    [InlineData("""{"start_time": 1727200000, "end_time": 1727286401}""", "end_time: 2024-09-25T17:46:41Z is invalid, must be at most 24 h after start_time (2024-09-24T17:46:40Z)")]
    [InlineData("""{"frequencyRange": {"min": null, "max": 0.5}}""", "frequencyRange: min 0 (default) and max 0.5 are invalid, must be max - min >= 1 Hz")]
    public void Messages_read_as_sentences(string patch, string expected)
    {
        var result = ConfigureRequestParser.Parse(Patched(patch));

        Assert.Equal(expected, Assert.Single(result.Errors).Message);
    }

    [Fact]
    public void A_long_value_is_cut_short_in_the_message()
    {
        var result = ConfigureRequestParser.Parse(Patched($$"""{"view_type": "{{new string('x', 5000)}}"}"""));

        Assert.True(Assert.Single(result.Errors).Message.Length < 300);
    }

    [Fact]
    public void Every_error_is_collected_not_just_the_first()
    {
        var result = ConfigureRequestParser.Parse(Parse("""
            {"view_type": 7, "displayInfo": {"height": 0}, "channels": {"min": 0, "max": "x"},
             "nfftSelection": 1000, "displayTimeAxisDuration": -1, "frequencyRange": {"min": -1, "max": "NaN"},
             "start_time": 1.5}
            """));

        Assert.Equal(
            ["view_type", "displayInfo.height", "channels.min", "channels.max", "nfftSelection", "displayTimeAxisDuration",
             "frequencyRange.min", "frequencyRange.max", "start_time", "end_time"],
            result.Errors.Fields);
        Assert.Equal(10, result.Errors.Count);
    }

    [Fact]
    public void Missing_required_fields_are_each_named()
    {
        var result = ConfigureRequestParser.Parse(Parse("{}"));

        Assert.Equal(["view_type", "displayInfo", "channels"], result.Errors.Fields);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("42")]
    [InlineData("\"configure\"")]
    [InlineData("null")]
    public void A_body_that_is_not_an_object_is_one_body_error(string body)
    {
        var result = ConfigureRequestParser.Parse(Parse(body));

        Assert.Equal("body", Assert.Single(result.Errors).Field);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"view_type\": NaN}")]
    [InlineData("{\"view_type\": 0} trailing")]
    public void Text_that_is_not_json_is_one_body_error(string json)
    {
        var result = ConfigureRequestParser.Parse(json);

        Assert.False(result.IsValid);
        Assert.Equal("body", Assert.Single(result.Errors).Field);
    }

    [Fact]
    public void Json_text_parses_like_the_element()
    {
        Assert.Equal(ConfigureRequestParser.Parse(Parse(Valid)).Request, ConfigureRequestParser.Parse(Valid).Request);
    }
}
