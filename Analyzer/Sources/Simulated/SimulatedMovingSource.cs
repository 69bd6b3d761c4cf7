using System.Buffers;

namespace Focus.Analyzer.Sources.Simulated;

/// <summary>
/// A vehicle driving along the fiber at constant speed since the Unix epoch, wrapping from the last channel to the
/// first. Near it each channel carries engine harmonics (the same on every channel: one engine) plus low-frequency
/// rumble (unit-variance noise of its own per channel through a 4-tap moving average, so below prr / 4), weighted by <c>(1 - (d / HalfWidth)^2)^2</c> of the distance d to its centre: a
/// bright diagonal stripe on a waterfall and a harmonic comb on a spectrogram of the channels it passes.
/// </summary>
public sealed class SimulatedMovingSource
{
    const float RumbleWeight = 0.7f;
    static readonly double[] HarmonicWeights = [1.0, 0.6, 0.35];

    readonly int channels;
    readonly double channelsPerSample;
    readonly ulong[] harmonicSteps;
    readonly float[] harmonicAmplitudes;
    readonly ulong rumbleSeedKey;

    internal SimulatedMovingSource(SimulatorMovingSourceOptions options, int channels, double dx, double prr, long seed)
    {
        this.channels = channels;
        StartChannel = options.StartChannel;
        SpeedMetersPerSecond = options.SpeedMetersPerSecond;
        ChannelsPerSecond = options.SpeedMetersPerSecond / dx;
        channelsPerSample = ChannelsPerSecond / prr;
        // Capped at half the fiber: a channel is lit from one side of the wrap only.
        HalfWidthChannels = Math.Min(options.HalfWidthMeters / dx, channels / 2.0);
        Amplitude = options.Amplitude;
        EngineHarmonicsHz = HarmonicWeights.Select((_, h) => options.EngineHz * (h + 1)).Where(f => f < prr / 2).ToArray();
        harmonicSteps = EngineHarmonicsHz.Select(f => SineTable.Step(f, prr)).ToArray();
        harmonicAmplitudes = EngineHarmonicsHz.Select((_, h) => (float)HarmonicWeights[h]).ToArray();
        rumbleSeedKey = CounterHash.Key(seed, Streams.Rumble, 0);
    }

    /// <summary>1-based channel of the centre at the Unix epoch.</summary>
    public double StartChannel { get; }
    public double SpeedMetersPerSecond { get; }
    public double ChannelsPerSecond { get; }
    public double HalfWidthChannels { get; }
    public double Amplitude { get; }
    public IReadOnlyList<double> EngineHarmonicsHz { get; }

    /// <summary>Seconds to drive the whole fiber once (infinite when parked).</summary>
    public double PassSeconds => channels / Math.Abs(ChannelsPerSecond);

    /// <summary>The centre at sample <paramref name="sampleIndex"/>, as a fractional 1-based channel in [1, channels + 1).</summary>
    public double CentreChannelAt(long sampleIndex) => 1 + CentreOffset(sampleIndex);

    double CentreOffset(long sampleIndex)
    {
        double offset = (StartChannel - 1 + sampleIndex * channelsPerSample) % channels;
        return offset < 0 ? offset + channels : offset;
    }

    internal void AddTo(int firstChannel, int channelCount, long firstSampleIndex, int sampleCount, Span<float> destination)
    {
        if (Amplitude == 0 || channelCount == 0 || sampleCount == 0) return;
        // The centre and the engine, once per sample; most windows never see the stripe and stop here.
        var centres = ArrayPool<double>.Shared.Rent(sampleCount);
        var engine = ArrayPool<float>.Shared.Rent(sampleCount);
        try
        {
            bool inView = false;
            for (int s = 0; s < sampleCount; s++)
            {
                centres[s] = CentreOffset(firstSampleIndex + s);
                inView |= Distance(firstChannel - 1, centres[s]) < HalfWidthChannels
                       || Distance(firstChannel + channelCount - 2, centres[s]) < HalfWidthChannels
                       || (centres[s] >= firstChannel - 1 && centres[s] <= firstChannel + channelCount - 2);
            }
            if (!inView) return;
            for (int s = 0; s < sampleCount; s++) engine[s] = Engine(firstSampleIndex + s);
            for (int c = 0; c < channelCount; c++)
                AddToChannel(firstChannel + c, c, channelCount, firstSampleIndex, centres.AsSpan(0, sampleCount), engine, destination);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(centres);
            ArrayPool<float>.Shared.Return(engine);
        }
    }

    void AddToChannel(int channel, int column, int stride, long firstSampleIndex, ReadOnlySpan<double> centres, float[] engine, Span<float> destination)
    {
        ulong key = CounterHash.Mix(rumbleSeedKey + (ulong)channel);
        // The rumble's four taps slide along with n: one new hash per sample instead of four.
        float g0 = 0, g1 = 0, g2 = 0, g3 = 0;
        long previous = long.MinValue;
        for (int s = 0; s < centres.Length; s++)
        {
            double d = Distance(channel - 1, centres[s]) / HalfWidthChannels;
            if (d >= 1) continue;
            long n = firstSampleIndex + s;
            if (n == previous + 1) (g3, g2, g1, g0) = (g2, g1, g0, CounterHash.Gaussian(key, n));
            else (g0, g1, g2, g3) = (CounterHash.Gaussian(key, n), CounterHash.Gaussian(key, n - 1), CounterHash.Gaussian(key, n - 2), CounterHash.Gaussian(key, n - 3));
            previous = n;
            float rumble = 0.5f * (g0 + g1 + g2 + g3);
            double weight = (1 - d * d) * (1 - d * d) * Amplitude;
            destination[s * stride + column] += (float)(weight * (engine[s] + RumbleWeight * rumble));
        }
    }

    /// <summary>How far 0-based channel <paramref name="offset"/> is from the centre, the short way round the wrap.</summary>
    double Distance(int offset, double centre)
    {
        double d = Math.Abs(offset - centre);
        return Math.Min(d, channels - d);
    }

    float Engine(long n)
    {
        float sum = 0;
        for (int h = 0; h < harmonicSteps.Length; h++)
            sum += harmonicAmplitudes[h] * SineTable.Sin((ulong)n * harmonicSteps[h]);
        return sum;
    }
}
