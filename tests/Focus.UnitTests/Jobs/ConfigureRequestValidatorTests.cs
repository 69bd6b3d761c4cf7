using Focus.Grains.Fiber;
using Focus.Grains.Jobs;

namespace Focus.UnitTests.Jobs;

public class ConfigureRequestValidatorTests
{
    // The simulator's fiber: prr 2000 Hz (Nyquist 1000 Hz), channels 1..2222.
    private static readonly FiberMetadata Fiber = new() { Prr = 2000, NumberOfChannels = 2222, Dx = 1.02 };

    private static readonly ConfigureRequest Valid = new()
    {
        ViewType = ViewType.Multichannel, Height = 1000, ChannelMin = 1, ChannelMax = 50,
        NfftSelection = 1024, DisplayTimeAxisDuration = 10, FrequencyMin = 0, FrequencyMax = 500,
    };

    private static readonly ConfigureRequest Waterfall = new()
    {
        ViewType = ViewType.Waterfall, Height = 1000, ChannelMin = 1, ChannelMax = 2222,
    };

    [Fact]
    public void A_valid_request_has_no_errors()
    {
        Assert.True(ConfigureRequestValidator.Validate(Valid, Fiber).IsEmpty);
        Assert.True(ConfigureRequestValidator.Validate(Waterfall, Fiber).IsEmpty);
        Assert.True(ConfigureRequestValidator.Validate(Valid with { ChannelMin = 2222, ChannelMax = 2222, ViewType = ViewType.Singlechannel }, Fiber).IsEmpty);
    }

    [Fact]
    public void The_defaults_are_valid_against_the_fiber()
    {
        var minimal = new ConfigureRequest { ViewType = ViewType.Multichannel, Height = 1000, ChannelMin = 1, ChannelMax = 2222 };

        Assert.True(ConfigureRequestValidator.Validate(minimal, Fiber).IsEmpty);
    }

    public static TheoryData<ConfigureRequest, string> OneFiberRuleBroken => new()
    {
        { Valid with { ChannelMax = 2223 }, "channels.max" },
        { Waterfall with { ChannelMax = 3000 }, "channels.max" },
        { Valid with { FrequencyMax = 1000.5 }, "frequencyRange.max" },
        { Valid with { FrequencyMin = 1001, FrequencyMax = null }, "frequencyRange.min" },
        { Valid with { FrequencyMin = 999.5, FrequencyMax = null }, "frequencyRange" }, // max defaults to Nyquist 1000: span 0.5
        // nfft 128 at hop 20 stays 128 (overlap 1 - 20/128 = 0.84); bins 15.625 Hz apart: [1, 10] holds none
        { Valid with { NfftSelection = 128, FrequencyMin = 1, FrequencyMax = 10 }, "frequencyRange" },
        { Valid with { NfftSelection = 128, FrequencyMin = 985, FrequencyMax = 999 }, "frequencyRange" }, // 984.375 < 985, next 1000
    };

    [Theory]
    [MemberData(nameof(OneFiberRuleBroken))]
    public void Each_fiber_rule_broken_alone_gives_one_error_keyed_by_its_field(ConfigureRequest request, string field)
    {
        var errors = ConfigureRequestValidator.Validate(request, Fiber);

        var error = Assert.Single(errors);
        Assert.Equal(field, error.Field);
        Assert.StartsWith(field + ": ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_channel_range_beyond_the_fiber_names_both_ends()
    {
        var errors = ConfigureRequestValidator.Validate(Valid with { ViewType = ViewType.Singlechannel, ChannelMin = 2223, ChannelMax = 2223 }, Fiber);

        Assert.Equal(["channels.min", "channels.max"], errors.Fields);
    }

    [Fact]
    public void Frequencies_up_to_Nyquist_and_a_bin_on_the_edge_are_fine()
    {
        Assert.True(ConfigureRequestValidator.Validate(Valid with { FrequencyMin = 999, FrequencyMax = 1000 }, Fiber).IsEmpty);
        // nfft 128: bins k * 15.625; [15.625, 20] holds exactly k = 1
        Assert.True(ConfigureRequestValidator.Validate(Valid with { NfftSelection = 128, FrequencyMin = 15.625, FrequencyMax = 20 }, Fiber).IsEmpty);
    }

    [Fact]
    public void Messages_state_the_fiber_limits()
    {
        var errors = ConfigureRequestValidator.Validate(Valid with { ChannelMax = 3000, FrequencyMax = 1500 }, Fiber);

        Assert.Equal(["channels.max: 3000 is invalid, must be a channel between 1 and 2222 (highest_channel of the fiber)"], errors["channels.max"]);
        Assert.Equal(["frequencyRange.max: 1500 is invalid, must be at most the Nyquist frequency 1000 Hz (prr 2000 / 2)"], errors["frequencyRange.max"]);
    }

    [Fact]
    public void The_zero_bin_message_gives_the_bin_spacing()
    {
        var errors = ConfigureRequestValidator.Validate(Valid with { NfftSelection = 128, FrequencyMin = 1, FrequencyMax = 10 }, Fiber);

        Assert.Equal(
            "frequencyRange: [1, 10] is invalid, must be wide enough to hold a frequency bin: bins are k * prr / internal_nfft = k * 15.625 Hz apart (internal_nfft 128)",
            errors.Detail);
    }

    [Fact]
    public void A_historic_job_is_checked_against_its_recordings()
    {
        // recordings in the window: 1000 channels at 1000 Hz (Nyquist 500)
        var recordings = new FiberMetadata { Prr = 1000, NumberOfChannels = 1000 };

        var errors = ConfigureRequestValidator.Validate(Valid with { ChannelMax = 1001, FrequencyMax = 600 }, recordings);

        Assert.Equal(["channels.max", "frequencyRange.max"], errors.Fields);
    }

    [Fact]
    public void An_unknown_fiber_is_the_callers_503_not_a_validation_error()
    {
        Assert.Throws<ArgumentException>(() => ConfigureRequestValidator.Validate(Valid, FiberMetadata.Waiting));
    }

    public static TheoryData<ConfigureRequest, string> OneRecordRuleBroken => new()
    {
        { Valid with { ViewType = (ViewType)7 }, "view_type" },
        { Valid with { Height = 0 }, "displayInfo.height" },
        { Valid with { Height = 10001 }, "displayInfo.height" },
        { Valid with { ChannelMin = 0 }, "channels.min" },
        { Valid with { ChannelMin = -1 }, "channels.min" },
        { Valid with { ChannelMin = 60 }, "channels" },
        { Valid with { ViewType = ViewType.Singlechannel }, "channels" },
        { Valid with { NfftSelection = 1000 }, "nfftSelection" },
        { Waterfall with { NfftSelection = 1024 }, "nfftSelection" },
        { Valid with { DisplayTimeAxisDuration = 0 }, "displayTimeAxisDuration" },
        { Valid with { DisplayTimeAxisDuration = double.NaN }, "displayTimeAxisDuration" },
        { Valid with { DisplayTimeAxisDuration = double.PositiveInfinity }, "displayTimeAxisDuration" },
        { Waterfall with { DisplayTimeAxisDuration = 10 }, "displayTimeAxisDuration" },
        { Valid with { FrequencyMin = double.NaN }, "frequencyRange.min" },
        { Valid with { FrequencyMax = -1 }, "frequencyRange.max" },
        { Valid with { FrequencyMin = 200, FrequencyMax = 200 }, "frequencyRange" },
        { Waterfall with { FrequencyMax = 10 }, "frequencyRange" },
        { Valid with { StartTime = DateTimeOffset.FromUnixTimeSeconds(1727200000) }, "end_time" },
        { Valid with { EndTime = DateTimeOffset.FromUnixTimeSeconds(1727200000) }, "start_time" },
        { Valid with { StartTime = DateTimeOffset.FromUnixTimeSeconds(1727200000), EndTime = DateTimeOffset.FromUnixTimeSeconds(1727200000) }, "end_time" },
        { Valid with { StartTime = DateTimeOffset.FromUnixTimeSeconds(1727200000), EndTime = DateTimeOffset.FromUnixTimeSeconds(1727286401) }, "end_time" },
    };

    [Theory]
    [MemberData(nameof(OneRecordRuleBroken))]
    public void The_grain_re_validates_the_record_with_the_same_keys(ConfigureRequest request, string field)
    {
        var alone = ConfigureRequestValidator.Validate(request);
        var withFiber = ConfigureRequestValidator.Validate(request, Fiber);

        Assert.Equal(field, Assert.Single(alone).Field);
        Assert.Equal(field, Assert.Single(withFiber).Field);
    }

    [Fact]
    public void Record_and_json_give_the_same_message()
    {
        var fromJson = ConfigureRequestParser.Parse(ConfigureBodies.Patched("""{"nfftSelection": 1000}"""));
        var fromRecord = ConfigureRequestValidator.Validate(Valid with { NfftSelection = 1000 });

        Assert.Equal(fromJson.Errors.Detail, fromRecord.Detail);
    }

    [Fact]
    public void Every_parsed_request_passes_the_record_validator()
    {
        var parsed = ConfigureRequestParser.Parse(ConfigureBodies.Patched("""{"start_time": "251009100000", "end_time": 1760007600}"""));

        Assert.True(parsed.IsValid, parsed.Errors.Detail);
        Assert.True(ConfigureRequestValidator.Validate(parsed.Request).IsEmpty);
    }
}
