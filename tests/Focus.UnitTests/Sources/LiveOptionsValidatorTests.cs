using Focus.Analyzer.Sources;

namespace Focus.UnitTests.Sources;

public sealed class LiveOptionsValidatorTests
{
    [Fact]
    public void The_defaults_are_valid() => Assert.True(new LiveOptionsValidator().Validate(null, new LiveOptions()).Succeeded);

    public static TheoryData<Action<LiveOptions>, string> Invalid => new()
    {
        { o => o.MaxChunkValues = 10, "Focus:Live:MaxChunkValues" },
        { o => o.MaxChunkValues = 1L << 40, "Focus:Live:MaxChunkValues" },
        { o => o.MaxChannels = 0, "Focus:Live:MaxChannels" },
        { o => o.MaxChannels = int.MaxValue, "Focus:Live:MaxChannels" },
        { o => o.MaxPrr = double.NaN, "Focus:Live:MaxPrr" },
        { o => o.MaxPrr = double.PositiveInfinity, "Focus:Live:MaxPrr" },
        { o => o.MaxPrr = 0, "Focus:Live:MaxPrr" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void A_bound_out_of_range_fails_naming_its_key(Action<LiveOptions> spoil, string key)
    {
        var options = new LiveOptions();
        spoil(options);
        var result = new LiveOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains(key, result.FailureMessage);
    }
}
