using System.Runtime.CompilerServices;

namespace Focus.Analyzer.Sources.Simulated;

/// <summary>
/// Counter-based randomness: every value is a hash of (seed, stream, channel, sample index), so any window of any
/// channels can be generated alone, in any order, on any thread, and always comes out the same. There is no shared
/// mutable RNG to lock or to advance. The mixer is SplitMix64's finaliser (Steele, Lea, Flood 2014).
/// </summary>
internal static class CounterHash
{
    /// <summary>Added per sample: SplitMix64's odd increment (2^64 / golden ratio).</summary>
    public const ulong Gamma = 0x9E3779B97F4A7C15;

    // Irwin-Hall of four 16-bit uniforms: mean 2 * 65535, variance (65536^2 - 1) / 3.
    const float IrwinHallMean = 131070f;
    static readonly float IrwinHallScale = (float)(1 / Math.Sqrt((65536.0 * 65536.0 - 1) / 3));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }

    /// <summary>The per-channel key of one stream (noise, rumble, phases) of one seed.</summary>
    public static ulong Key(long seed, ulong stream, long channel) =>
        Mix(Mix((ulong)seed ^ Mix(stream)) + (ulong)channel * 0xD1B54A32D192ED03);

    /// <summary>
    /// An approximately standard normal value from 64 random bits: the sum of four 16-bit uniforms (Irwin-Hall,
    /// n = 4), a few integer operations instead of a logarithm and a square root. Its tails stop at ±3.46 σ, which
    /// no spectrogram or waterfall can tell from a Gaussian.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Gaussian(ulong bits)
    {
        int sum = (int)(bits & 0xFFFF) + (int)((bits >> 16) & 0xFFFF) + (int)((bits >> 32) & 0xFFFF) + (int)(bits >> 48);
        return ((float)sum - IrwinHallMean) * IrwinHallScale;
    }

    /// <summary>The standard normal value of sample <paramref name="sampleIndex"/> in the stream keyed <paramref name="key"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Gaussian(ulong key, long sampleIndex) => Gaussian(Mix(key + (ulong)sampleIndex * Gamma));
}
