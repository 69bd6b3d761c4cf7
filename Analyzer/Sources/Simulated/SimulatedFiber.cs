using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;

namespace Focus.Analyzer.Sources.Simulated;

/// <summary>
/// A deterministic fiber: Gaussian background noise on every channel, stationary <see cref="Tones"/> on known
/// channels and a <see cref="MovingSource"/>. Every sample is a pure function of the options, the channel and the
/// sample index, so any window can be generated on its own, in any order, from any thread, and is always the same.
/// Immutable and thread-safe.
/// </summary>
public sealed class SimulatedFiber
{
    readonly ToneOscillator[] oscillators;
    readonly float noiseLevel;

    /// <exception cref="OptionsValidationException">The options break a rule of <see cref="SimulatorOptionsValidator"/>.</exception>
    public SimulatedFiber(SimulatorOptions options)
    {
        var validation = new SimulatorOptionsValidator().Validate(null, options);
        if (validation.Failed) throw new OptionsValidationException(SimulatorOptions.Section, typeof(SimulatorOptions), validation.Failures);

        Channels = options.Channels;
        Prr = options.Prr;
        Dx = options.Dx;
        FiberStartMeters = options.FiberStartMeters;
        Seed = options.Seed;
        NoiseLevel = options.NoiseLevel;
        noiseLevel = (float)options.NoiseLevel;
        oscillators = options.RequestedTones()
            .Select(t => t.FitTo(Channels, Prr, out _))
            .OfType<SimulatedTone>()
            .Select((t, i) => new ToneOscillator(t, Prr, CounterHash.Key(Seed, Streams.TonePhases, i)))
            .ToArray();
        Tones = oscillators.Select(o => o.Tone).ToArray();
        MovingSource = options.MovingSource.Enabled
            ? new SimulatedMovingSource(options.MovingSource, Channels, Dx, Prr, Seed)
            : null;
    }

    public int Channels { get; }
    public double Prr { get; }
    public double Nyquist => Prr / 2;
    public double Dx { get; }
    public double FiberStartMeters { get; }

    /// <summary>Each channel stands for <see cref="Dx"/> metres of fiber.</summary>
    public double FiberLengthMeters => Channels * Dx;

    public long Seed { get; }
    public double NoiseLevel { get; }

    /// <summary>The tones on this fiber: those configured (or the defaults), clipped to it, none at or above Nyquist.</summary>
    public IReadOnlyList<SimulatedTone> Tones { get; }

    /// <summary>The vehicle, or null when <c>Focus:Simulator:MovingSource:Enabled</c> is false.</summary>
    public SimulatedMovingSource? MovingSource { get; }

    public SampleClock Clock => new(Prr);

    /// <summary>Metres from the start of the fiber to 1-based <paramref name="channel"/> (as GET /sensors).</summary>
    public double PositionMeters(int channel) => FiberStartMeters + (channel - 1) * Dx;

    /// <summary>
    /// Writes samples <paramref name="firstSampleIndex"/>.. of channels <paramref name="firstChannel"/>.. (1-based)
    /// into <paramref name="destination"/>, time-major <c>[sample][channel]</c> as in <see cref="SampleBlock"/>.
    /// Sample index n is the instant n / <see cref="Prr"/> after the Unix epoch.
    /// </summary>
    public void Fill(int firstChannel, int channelCount, long firstSampleIndex, int sampleCount, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(firstChannel, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(channelCount);
        ArgumentOutOfRangeException.ThrowIfNegative(sampleCount);
        if ((long)firstChannel + channelCount - 1 > Channels)
            throw new ArgumentOutOfRangeException(nameof(channelCount),
                $"channels {firstChannel}..{firstChannel + channelCount - 1} run past the fiber's {Channels}");
        if ((long)channelCount * sampleCount > destination.Length)
            throw new ArgumentException($"destination holds {destination.Length} values; {channelCount} x {sampleCount} needed", nameof(destination));

        var window = destination[..(channelCount * sampleCount)];
        FillNoise(firstChannel, channelCount, firstSampleIndex, sampleCount, window);
        foreach (var oscillator in oscillators)
            oscillator.AddTo(firstChannel, channelCount, firstSampleIndex, sampleCount, window);
        MovingSource?.AddTo(firstChannel, channelCount, firstSampleIndex, sampleCount, window);
    }

    void FillNoise(int firstChannel, int channelCount, long firstSampleIndex, int sampleCount, Span<float> destination)
    {
        if (noiseLevel == 0)
        {
            destination.Clear();
            return;
        }
        // Channel by channel: the key is hashed once per channel and the counter advances by one add per sample.
        // destination holds exactly channelCount * sampleCount values (Fill sliced it), so the strided writes
        // stay inside it without a bounds check each.
        ref float start = ref MemoryMarshal.GetReference(destination);
        for (int c = 0; c < channelCount; c++)
        {
            ulong counter = CounterHash.Key(Seed, Streams.Noise, firstChannel + c) + (ulong)firstSampleIndex * CounterHash.Gamma;
            for (int s = 0, i = c; s < sampleCount; s++, i += channelCount, counter += CounterHash.Gamma)
                Unsafe.Add(ref start, i) = noiseLevel * CounterHash.Gaussian(CounterHash.Mix(counter));
        }
    }
}
