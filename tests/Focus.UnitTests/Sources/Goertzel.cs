namespace Focus.UnitTests.Sources;

/// <summary>A single DFT bin by Goertzel's recurrence: an independent check of where the simulator puts energy.</summary>
static class Goertzel
{
    /// <summary>|X(f)|^2 / N of <paramref name="x"/> at <paramref name="frequencyHz"/>.</summary>
    public static double Power(ReadOnlySpan<float> x, double frequencyHz, double prr)
    {
        double coefficient = 2 * Math.Cos(2 * Math.PI * frequencyHz / prr), s1 = 0, s2 = 0;
        foreach (var v in x) (s1, s2) = (v + coefficient * s1 - s2, s1);
        return (s1 * s1 + s2 * s2 - coefficient * s1 * s2) / x.Length;
    }

    /// <summary>Column <paramref name="column"/> of a time-major window of <paramref name="channels"/> channels.</summary>
    public static float[] Column(float[] window, int channels, int column)
    {
        var x = new float[window.Length / channels];
        for (int s = 0; s < x.Length; s++) x[s] = window[s * channels + column];
        return x;
    }
}
