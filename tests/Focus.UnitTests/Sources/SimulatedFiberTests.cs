using System.Diagnostics;
using Focus.Analyzer.Sources.Simulated;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace Focus.UnitTests.Sources;

public class SimulatedFiberTests(ITestOutputHelper output)
{
    const double Prr = 2000;
    static readonly long Today = new SampleClock(Prr).IndexAt(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));

    static float[] Window(SimulatedFiber fiber, int firstChannel, int channels, long firstSample, int samples)
    {
        var x = new float[channels * samples];
        fiber.Fill(firstChannel, channels, firstSample, samples, x);
        return x;
    }

    /// <summary>A sample index at which the vehicle's centre is at <paramref name="channel"/>.</summary>
    static long WhenVehicleAt(SimulatedFiber fiber, double channel)
    {
        var v = fiber.MovingSource!;
        return Today + (long)Math.Round((channel - v.CentreChannelAt(Today)) / v.ChannelsPerSecond * fiber.Prr);
    }

    [Fact]
    public void Same_seed_gives_the_same_samples()
    {
        var a = Window(new SimulatedFiber(new SimulatorOptions()), 1, 64, Today, 500);
        var b = Window(new SimulatedFiber(new SimulatorOptions()), 1, 64, Today, 500);
        Assert.Equal(a, b);
    }

    [Fact]
    public void Another_seed_gives_other_samples()
    {
        var a = Window(new SimulatedFiber(new SimulatorOptions()), 1, 8, Today, 100);
        var b = Window(new SimulatedFiber(new SimulatorOptions { Seed = 43 }), 1, 8, Today, 100);
        Assert.True(a.Zip(b).Count(p => p.First != p.Second) > a.Length * 0.99);
    }

    [Fact]
    public void A_sub_window_equals_the_same_slice_of_a_larger_window()
    {
        var fiber = new SimulatedFiber(new SimulatorOptions());
        long start = WhenVehicleAt(fiber, 30) - 200; // noise, the 50 Hz tone on 10..14 and the vehicle, all in view
        var large = Window(fiber, 5, 60, start, 400);
        var small = Window(fiber, 9, 12, start + 37, 101);
        for (int s = 0; s < 101; s++)
            for (int c = 0; c < 12; c++)
                Assert.Equal(large[(s + 37) * 60 + (c + 4)], small[s * 12 + c]);
        // The vehicle did reach the small window: it is louder than noise there.
        Assert.True(small.Average(v => v * v) > 3);
    }

    [Fact]
    public void Neighbouring_channels_and_samples_are_uncorrelated_noise()
    {
        var fiber = new SimulatedFiber(new SimulatorOptions { UseDefaultTones = false, MovingSource = { Enabled = false } });
        var x = Window(fiber, 1000, 2, Today, 20_000);
        double sameTime = 0, nextSample = 0;
        for (int s = 0; s + 1 < 20_000; s++)
        {
            sameTime += x[2 * s] * x[2 * s + 1];
            nextSample += x[2 * s] * x[2 * s + 2];
        }
        Assert.InRange(sameTime / 20_000, -0.03, 0.03);
        Assert.InRange(nextSample / 20_000, -0.03, 0.03);
        Assert.NotEqual(Goertzel.Column(x, 2, 0), Goertzel.Column(x, 2, 1));
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.5)]
    public void Noise_has_the_configured_standard_deviation(double level)
    {
        var fiber = new SimulatedFiber(new SimulatorOptions { NoiseLevel = level, UseDefaultTones = false, MovingSource = { Enabled = false } });
        var x = Window(fiber, 700, 10, Today, 10_000);
        double mean = x.Average(v => (double)v);
        double std = Math.Sqrt(x.Average(v => (v - mean) * (v - mean)));
        Assert.InRange(mean, -0.02 * level, 0.02 * level);
        Assert.InRange(std, 0.98 * level, 1.02 * level);
    }

    [Theory]
    [InlineData(12, 50)]
    [InlineData(102, 120)]
    [InlineData(505, 333)]
    public void A_default_tone_peaks_at_its_frequency_on_its_channels(int channel, double hz)
    {
        var fiber = new SimulatedFiber(new SimulatorOptions { MovingSource = { Enabled = false } });
        Assert.Contains(fiber.Tones, t => t.FirstChannel <= channel && channel <= t.LastChannel && t.FrequencyHz == hz);
        var x = Window(fiber, channel, 1, Today, (int)Prr); // one second: 1 Hz bins
        double peak = Goertzel.Power(x, hz, Prr);
        Assert.True(peak > 100 * Goertzel.Power(x, hz - 5, Prr), "over a neighbouring frequency");
        Assert.True(peak > 100 * Goertzel.Power(x, hz + 5, Prr), "over a neighbouring frequency");
        var quiet = Window(fiber, 300, 1, Today, (int)Prr);
        Assert.True(peak > 100 * Goertzel.Power(quiet, hz, Prr), "over a channel without the tone");
        // A sine of amplitude A puts (A/2)^2 * N into |X|^2 / N.
        var tone = fiber.Tones.Single(t => t.FrequencyHz == hz);
        Assert.InRange(peak, 0.9 * tone.Amplitude * tone.Amplitude / 4 * Prr, 1.1 * tone.Amplitude * tone.Amplitude / 4 * Prr);
    }

    [Fact]
    public void A_configured_tone_replaces_the_defaults()
    {
        var fiber = new SimulatedFiber(new SimulatorOptions
        {
            Channels = 100, MovingSource = { Enabled = false },
            Tones = { new SimulatorToneOptions { FirstChannel = 40, LastChannel = 42, FrequencyHz = 77.5, Amplitude = 2 } },
        });
        Assert.Equal([new SimulatedTone(40, 42, 77.5, 2)], fiber.Tones);
        var x = Window(fiber, 41, 1, Today, 2 * (int)Prr); // two seconds: 0.5 Hz bins
        Assert.True(Goertzel.Power(x, 77.5, Prr) > 100 * Goertzel.Power(x, 72.5, Prr));
    }

    [Fact]
    public void Tones_at_or_above_Nyquist_are_dropped_and_tones_are_clipped_to_the_fiber()
    {
        var slow = new SimulatedFiber(new SimulatorOptions { Prr = 500 });
        Assert.Equal([50.0, 120.0], slow.Tones.Select(t => t.FrequencyHz));
        var shortFiber = new SimulatedFiber(new SimulatorOptions { Channels = 502 });
        Assert.Equal(new SimulatedTone(500, 502, 333, 3), shortFiber.Tones[^1]);
        var tiny = new SimulatedFiber(new SimulatorOptions { Channels = 50 });
        Assert.Equal([new SimulatedTone(10, 14, 50, 5)], tiny.Tones);
        Assert.Empty(new SimulatedFiber(new SimulatorOptions { UseDefaultTones = false }).Tones);
    }

    [Fact]
    public void The_moving_source_moves_along_the_fiber()
    {
        var fiber = new SimulatedFiber(new SimulatorOptions
        {
            Channels = 300, NoiseLevel = 0, UseDefaultTones = false,
            MovingSource = { StartChannel = 20, SpeedMetersPerSecond = 20 },
        });
        var v = fiber.MovingSource!;
        Assert.Equal(20 / 1.02, v.ChannelsPerSecond, 9);

        double EnergyCentre(long firstSample)
        {
            var x = Window(fiber, 1, 300, firstSample, 200); // 0.1 s
            double sum = 0, weighted = 0;
            for (int c = 0; c < 300; c++)
            {
                double energy = 0;
                for (int s = 0; s < 200; s++) energy += x[s * 300 + c] * x[s * 300 + c];
                sum += energy;
                weighted += energy * (c + 1);
            }
            return weighted / sum;
        }

        long t0 = WhenVehicleAt(fiber, 100);
        long t1 = t0 + 5 * (long)Prr; // 5 s later: ~98 channels further
        Assert.InRange(EnergyCentre(t0), 98, 102);
        Assert.InRange(EnergyCentre(t1), v.CentreChannelAt(t1 + 100) - 2, v.CentreChannelAt(t1 + 100) + 2);
        Assert.InRange(EnergyCentre(t1) - EnergyCentre(t0), 93, 103);
        // Far from the vehicle, nothing (the noise is off).
        Assert.All(Window(fiber, 250, 10, t0, 200), value => Assert.Equal(0, value));
        // Its engine's fundamental shows at the centre.
        var centre = Window(fiber, 100, 1, t0 - (long)Prr / 2, (int)Prr);
        Assert.True(Goertzel.Power(centre, 23, Prr) > 10 * Goertzel.Power(centre, 28, Prr));
        Assert.True(Goertzel.Power(centre, 46, Prr) > 10 * Goertzel.Power(centre, 41, Prr));
    }

    [Fact]
    public void The_moving_source_wraps_from_the_last_channel_to_the_first()
    {
        var fiber = new SimulatedFiber(new SimulatorOptions { Channels = 200, NoiseLevel = 0, UseDefaultTones = false });
        long atEnd = WhenVehicleAt(fiber, 200.5);
        Assert.InRange(fiber.MovingSource!.CentreChannelAt(atEnd + 2 * (long)Prr), 39, 41); // 2 s on: ~39 channels in
        var x = Window(fiber, 1, 200, atEnd, 1);
        Assert.NotEqual(0, x[0]);   // channel 1, just past the wrap, is lit
        Assert.NotEqual(0, x[199]); // and so is channel 200
        Assert.Equal(0, x[100]);
    }

    [Fact]
    public void Fill_rejects_windows_off_the_fiber_or_too_large_for_the_destination()
    {
        var fiber = new SimulatedFiber(new SimulatorOptions { Channels = 100 });
        Assert.Throws<ArgumentOutOfRangeException>(() => fiber.Fill(0, 1, Today, 1, new float[1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => fiber.Fill(95, 10, Today, 1, new float[10]));
        Assert.Throws<ArgumentException>(() => fiber.Fill(1, 10, Today, 10, new float[99]));
        fiber.Fill(91, 10, Today, 0, []);
    }

    [Fact]
    public void Invalid_options_are_refused_with_the_keys_named()
    {
        var error = Assert.Throws<OptionsValidationException>(() => new SimulatedFiber(new SimulatorOptions { Prr = -1, Channels = 0 }));
        Assert.Contains("Focus:Simulator:Prr is -1; use a positive rate.", error.Failures);
        Assert.Contains("Focus:Simulator:Channels is 0; use 1 or more.", error.Failures);
    }

    [Fact]
    public void Generation_is_fast_enough_for_200_live_jobs()
    {
        // 200 jobs x 50 channels x 2000 Hz = 20 M samples/s. Debug build on a shared machine: only a loose bound
        // here; `dotnet run -c Release --project Simulator -- speed` gives the real figure.
        var fiber = new SimulatedFiber(new SimulatorOptions());
        var buffer = new float[50 * 40];
        for (int i = 0; i < 200; i++) fiber.Fill(480, 50, Today + i * 40, 40, buffer);
        var watch = Stopwatch.StartNew();
        const int Blocks = 2000;
        for (int i = 0; i < Blocks; i++) fiber.Fill(480, 50, Today + i * 40, 40, buffer);
        double ns = watch.Elapsed.TotalNanoseconds / (Blocks * 50.0 * 40);
        output.WriteLine($"{ns:F1} ns/sample (channels 480..529, with the 333 Hz tone)");
        Assert.True(ns < 500, $"{ns:F1} ns/sample");
    }
}
