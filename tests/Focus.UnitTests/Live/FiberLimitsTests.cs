using Focus.Analyzer.Sources.RabbitMq;
using Focus.Analyzer.Sources.RabbitMq.Protos;

namespace Focus.UnitTests.Live;

public sealed class FiberLimitsTests
{
    private static PrpcastInfo Good() => new()
    {
        Prr = 2000, NumberOfChannels = 2222, Dx = 1.02, FiberStartMeters = 0, FiberLengthMeters = 2266, BlockSize = 64,
        SwVersion = "4.2", InterrogatorId = "idas-1", FiberDescription = "test fiber",
    };

    [Fact]
    public void A_plausible_fiber_passes() => Assert.Null(FiberLimits.Default.Problem(Good()));

    public static TheoryData<string, Action<PrpcastInfo>, string> Hostile => new()
    {
        { "dx NaN", i => i.Dx = double.NaN, "dx" },
        { "dx +Inf", i => i.Dx = double.PositiveInfinity, "dx" },
        { "dx -Inf", i => i.Dx = double.NegativeInfinity, "dx" },
        { "dx 0", i => i.Dx = 0, "dx" },
        { "prr 0", i => i.Prr = 0, "prr" },
        { "prr NaN", i => i.Prr = double.NaN, "prr" },
        { "prr over the limit", i => i.Prr = 2e6, "MaxPrr" },
        { "no channels", i => i.NumberOfChannels = 0, "number_of_channels" },
        { "2e9 channels", i => i.NumberOfChannels = 2_000_000_000, "MaxChannels" },
        { "start NaN", i => i.FiberStartMeters = double.NaN, "fiber_start_meters" },
        { "length -1", i => i.FiberLengthMeters = -1, "fiber_length_meters" },
        { "huge block", i => i.BlockSize = 1_000_000, "block_size" },
        { "huge description", i => i.FiberDescription = new string('x', 100_000), "text" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void A_hostile_fiber_is_refused_with_the_reason(string what, Action<PrpcastInfo> spoil, string reason)
    {
        var info = Good();
        spoil(info);
        var problem = FiberLimits.Default.Problem(info);
        Assert.True(problem is not null, $"{what} passes");
        Assert.Contains(reason, problem);
    }

    [Fact]
    public void The_limits_are_the_configured_ones()
    {
        var info = Good();
        Assert.Contains("MaxChannels 1000", new FiberLimits(1000, 1e6).Problem(info));
        Assert.Contains("MaxPrr 1000", new FiberLimits(10_000, 1000).Problem(info));
    }
}
