namespace Focus.UnitTests.Spectral;

/// <summary>Double-precision oracles written straight from CONTRACT §1, independent of the engines.</summary>
internal static class SpectralOracle
{
    /// <summary>Naive O(N^2) DFT of one channel of a time-major frame; returns |X_k|^2 for k = 0..N/2.</summary>
    public static double[] Power(ReadOnlySpan<float> frame, int nfft, int channels, int channel)
    {
        var w = new double[nfft];
        double sum = 0;
        for (int n = 0; n < nfft; n++)
        {
            w[n] = 0.5 - 0.5 * Math.Cos(2 * Math.PI * n / nfft);
            sum += w[n] * w[n];
        }
        double scale = 1 / Math.Sqrt(sum);
        var x = new double[nfft];
        for (int n = 0; n < nfft; n++) x[n] = frame[n * channels + channel] * w[n] * scale;

        // Exact twiddles from a table indexed by (k*n) mod N keeps the O(N^2) loop cheap and accurate.
        var cos = new double[nfft];
        var sin = new double[nfft];
        for (int i = 0; i < nfft; i++)
        {
            cos[i] = Math.Cos(2 * Math.PI * i / nfft);
            sin[i] = Math.Sin(2 * Math.PI * i / nfft);
        }
        var p = new double[nfft / 2 + 1];
        for (int k = 0; k <= nfft / 2; k++)
        {
            double re = 0, im = 0;
            long idx = 0;
            for (int n = 0; n < nfft; n++)
            {
                re += x[n] * cos[idx];
                im -= x[n] * sin[idx];
                idx += k;
                if (idx >= nfft) idx -= nfft;
            }
            p[k] = re * re + im * im;
        }
        return p;
    }

    public static double Db(double power) => 10 * Math.Log10(power + 1e-12);

    /// <summary>A time-major <c>[samples][channels]</c> block of uniform noise with the given variance.</summary>
    public static float[] Noise(Random random, int samples, int channels, double variance = 1.0)
    {
        double a = Math.Sqrt(3 * variance); // uniform on [-a, a) has variance a^2/3
        var x = new float[samples * channels];
        for (int i = 0; i < x.Length; i++) x[i] = (float)((random.NextDouble() * 2 - 1) * a);
        return x;
    }

    /// <summary>Gaussian noise (Box-Muller), time-major.</summary>
    public static float[] Gaussian(Random random, int samples, int channels, double sigma = 1.0)
    {
        var x = new float[samples * channels];
        for (int i = 0; i < x.Length; i++)
        {
            double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
            x[i] = (float)(sigma * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
        return x;
    }
}
