namespace Focus.Bench.Spectrogram;

/// <summary>The yardstick's cases and input generator, exactly as /work/shared/bench/WORKLOAD.md (and cs/Program.cs) define them.</summary>
internal sealed record Case(char Name, int C, int T, int Nfft, int Hop, double Fmin, double Fmax)
{
    public const double Fs = 2000.0;

    public static readonly Case[] All =
    [
        new('A', 256, 120000, 1024, 256, 0.0, 1000.0),
        new('B', 2048, 20000, 256, 64, 0.0, 1000.0),
        new('C', 1, 2000000, 4096, 1024, 1.0, 500.0),
        new('S', 4, 8192, 512, 128, 10.0, 700.0), // smoke test
    ];

    public static Case Get(string name) =>
        Array.Find(All, c => c.Name == char.ToUpperInvariant(name[0])) ?? throw new ArgumentException($"unknown case {name}");

    public int Frames => (T - Nfft) / Hop + 1;
    public int K0 => Math.Max(0, (int)Math.Ceiling(Fmin * Nfft / Fs - 1e-9));
    public int K1 => Math.Min(Nfft / 2, (int)Math.Floor(Fmax * Nfft / Fs + 1e-9));
    public int Bins => K1 - K0 + 1;

    private static ulong Mix64(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>x[c*T + t], channel-major; channels generated in parallel (each value depends only on (c, t)).</summary>
    public float[] GenerateInput()
    {
        const ulong seed = 20240601UL, gamma = 0x9E3779B97F4A7C15UL;
        double w1 = 2.0 * Math.PI * 50.0, w2 = 2.0 * Math.PI * 137.5, w3 = 2.0 * Math.PI * 401.3;
        int channels = C, samples = T;
        var x = new float[(long)channels * samples];
        Parallel.For(0, channels, c =>
        {
            double p1 = 0.05 * c, p2 = 0.21 * c;
            for (int t = 0; t < samples; t++)
            {
                ulong i = (ulong)c * (ulong)samples + (ulong)t;
                ulong z = Mix64(unchecked(seed + (i + 1) * gamma));
                double noise = (double)(z >> 40) * (1.0 / 8388608.0) - 1.0;
                double tt = (double)t / Fs;
                double s = 0.5 * Math.Sin(w1 * tt + p1) + 0.25 * Math.Sin(w2 * tt + p2) + 0.1 * Math.Sin(w3 * tt);
                x[(long)c * samples + t] = (float)(noise + s);
            }
        });
        return x;
    }
}
