using Focus.Analyzer.Sources.Simulated;

/// <summary>The <c>sample</c> command: a few seconds of one channel, with its rms and strongest frequencies.</summary>
static class SampleReport
{
    public static void Print(SimulatedLiveSource source, int channel, double seconds, long? atEpochSeconds)
    {
        var fiber = source.Fiber;
        long first = atEpochSeconds is { } at ? (long)Math.Round(at * fiber.Prr) : source.NewestSampleIndex() + 1 - (long)Math.Round(seconds * fiber.Prr);
        int count = (int)Math.Round(seconds * fiber.Prr);
        var x = new float[count];
        fiber.Fill(channel, 1, first, count, x);

        double mean = x.Average(v => (double)v);
        double rms = Math.Sqrt(x.Average(v => (double)v * v));
        Console.WriteLine($"channel {channel} ({fiber.PositionMeters(channel):F1} m), {count} samples from {fiber.Clock.TimeOf(first):yyyy-MM-dd HH:mm:ss.fff} UTC");
        Console.WriteLine($"  rms {rms:F3}, mean {mean:F3}, noise level {fiber.NoiseLevel}");
        if (fiber.MovingSource is { } v)
            Console.WriteLine($"  vehicle centre: channel {v.CentreChannelAt(first):F1} -> {v.CentreChannelAt(first + count - 1):F1}");

        // A Goertzel scan at (at least) 0.5 Hz steps: enough to name the tone, cheap enough for minutes of data.
        double step = Math.Max(1 / seconds, 0.5);
        var spectrum = new List<(double Hz, double Power)>();
        for (double f = step; f < fiber.Nyquist; f += step) spectrum.Add((f, Power(x, f / fiber.Prr)));
        var peaks = spectrum.Where((p, i) => (i == 0 || p.Power >= spectrum[i - 1].Power) && (i == spectrum.Count - 1 || p.Power > spectrum[i + 1].Power))
            .OrderByDescending(p => p.Power).Take(3);
        double floor = spectrum.Select(p => p.Power).Order().ElementAt(spectrum.Count / 2);
        Console.WriteLine($"  strongest frequencies (dB over the median bin):");
        foreach (var (hz, power) in peaks) Console.WriteLine($"    {hz,8:F1} Hz  {10 * Math.Log10(power / floor),6:F1} dB");
    }

    /// <summary>|X(f)|^2 / N of <paramref name="x"/> at <paramref name="cyclesPerSample"/>, by Goertzel's recurrence.</summary>
    static double Power(float[] x, double cyclesPerSample)
    {
        double coefficient = 2 * Math.Cos(2 * Math.PI * cyclesPerSample), s1 = 0, s2 = 0;
        foreach (var v in x) (s1, s2) = (v + coefficient * s1 - s2, s1);
        return (s1 * s1 + s2 * s2 - coefficient * s1 * s2) / x.Length;
    }
}
