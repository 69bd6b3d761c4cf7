using Focus.Analyzer.Sources.Simulated;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Focus.UnitTests.Sources;

public class SimulatorOptionsValidatorTests
{
    static IReadOnlyList<string> Failures(SimulatorOptions options) =>
        new SimulatorOptionsValidator().Validate(null, options).Failures?.ToList() ?? [];

    [Fact]
    public void The_defaults_are_valid() => Assert.Empty(Failures(new SimulatorOptions()));

    [Fact]
    public void Every_failure_is_reported_under_its_key()
    {
        var failures = Failures(new SimulatorOptions
        {
            Channels = 0, Prr = -1, Dx = 0, FiberStartMeters = double.NaN, NoiseLevel = -1, BlockSize = 0,
            InterrogatorId = " ", ChunkDuration = TimeSpan.Zero, History = TimeSpan.FromSeconds(-1),
            Tones = { new SimulatorToneOptions { FirstChannel = 0, LastChannel = -1, FrequencyHz = -5, Amplitude = double.NaN } },
            MovingSource = { StartChannel = 0, SpeedMetersPerSecond = double.PositiveInfinity, HalfWidthMeters = 0, Amplitude = -1, EngineHz = 0 },
        });
        Assert.Equal(
        [
            "Focus:Simulator:Channels is 0; use 1 or more.",
            "Focus:Simulator:Prr is -1; use a positive rate.",
            "Focus:Simulator:Dx is 0; use a positive distance in metres.",
            "Focus:Simulator:FiberStartMeters is NaN; use a finite number of metres.",
            "Focus:Simulator:NoiseLevel is -1; use 0 or a positive standard deviation.",
            "Focus:Simulator:BlockSize is 0; use 1 or more channels.",
            "Focus:Simulator:InterrogatorId is empty; name the interrogator.",
            "Focus:Simulator:ChunkDuration is 00:00:00; use a positive time.",
            "Focus:Simulator:History is -00:00:01; use zero or a positive time.",
            "Focus:Simulator:Tones:0:FirstChannel is 0; use a 1-based channel.",
            "Focus:Simulator:Tones:0:LastChannel is -1; use 0 (FirstChannel) or more.",
            "Focus:Simulator:Tones:0:FrequencyHz is -5; use a positive frequency.",
            "Focus:Simulator:Tones:0:Amplitude is NaN; use 0 or a positive amplitude.",
            "Focus:Simulator:MovingSource:StartChannel is 0; use a channel between 1 and 0.",
            "Focus:Simulator:MovingSource:SpeedMetersPerSecond is Infinity; use a finite speed.",
            "Focus:Simulator:MovingSource:HalfWidthMeters is 0; use a positive distance in metres.",
            "Focus:Simulator:MovingSource:Amplitude is -1; use 0 or a positive amplitude.",
            "Focus:Simulator:MovingSource:EngineHz is 0; use a positive frequency.",
        ], failures);
    }

    [Fact]
    public void A_disabled_moving_source_is_not_checked() =>
        Assert.Empty(Failures(new SimulatorOptions { MovingSource = { Enabled = false, HalfWidthMeters = -3 } }));

    [Fact]
    public void Configured_tones_replace_the_defaults_and_none_can_be_asked_for()
    {
        var options = Bind(new()
        {
            ["Focus:Simulator:Tones:0:FirstChannel"] = "7",
            ["Focus:Simulator:Tones:0:LastChannel"] = "9",
            ["Focus:Simulator:Tones:0:FrequencyHz"] = "60",
        });
        Assert.Equal([new SimulatedTone(7, 9, 60, 5)], options.RequestedTones());
        Assert.Empty(Bind(new() { ["Focus:Simulator:UseDefaultTones"] = "false" }).RequestedTones());
        Assert.Equal(SimulatedTone.Defaults, Bind([]).RequestedTones());
    }

    [Fact]
    public void The_service_registration_binds_and_validates_at_resolution()
    {
        using var good = Services(new() { ["Focus:Simulator:Channels"] = "500", ["Focus:Simulator:Prr"] = "1000" });
        var source = good.GetRequiredService<SimulatedLiveSource>();
        Assert.Equal((500, 1000.0, 20), (source.Fiber.Channels, source.Prr, source.ChunkSamples));

        using var bad = Services(new() { ["Focus:Simulator:Prr"] = "-1" });
        var error = Assert.Throws<OptionsValidationException>(() => bad.GetRequiredService<SimulatedLiveSource>());
        Assert.Contains("Focus:Simulator:Prr is -1; use a positive rate.", error.Failures);
    }

    static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    static SimulatorOptions Bind(Dictionary<string, string?> values) =>
        Configuration(values).GetSection(SimulatorOptions.Section).Get<SimulatorOptions>() ?? new SimulatorOptions();

    static ServiceProvider Services(Dictionary<string, string?> values) =>
        new ServiceCollection().AddSimulatedLiveSource(Configuration(values)).BuildServiceProvider();
}
