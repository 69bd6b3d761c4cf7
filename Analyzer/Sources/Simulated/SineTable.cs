using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Focus.Analyzer.Sources.Simulated;

/// <summary>
/// sin of a 64-bit fixed-point phase (a full turn is 2^64), as in a direct digital synthesiser. The phase of sample
/// n is <c>n * step + phase0</c> in wrapping integer arithmetic: exact for any n, so a tone has the same value at a
/// sample whichever window computes it, and no error piles up as a sine recurrence's would. A 1024-entry table with
/// linear interpolation is within 5e-6 of sin (spurs below -100 dB) at a fraction of Math.Sin's cost.
/// </summary>
internal static class SineTable
{
    const int Bits = 10;
    const int Size = 1 << Bits;
    static readonly float[] Values = Build(i => Math.Sin(2 * Math.PI * i / Size));
    static readonly float[] Slopes = Build(i => Math.Sin(2 * Math.PI * (i + 1) / Size) - Math.Sin(2 * Math.PI * i / Size));

    static float[] Build(Func<int, double> f)
    {
        var table = new float[Size];
        for (int i = 0; i < Size; i++) table[i] = (float)f(i);
        return table;
    }

    /// <summary>The phase step per sample of <paramref name="frequencyHz"/> at <paramref name="prr"/> (below Nyquist).</summary>
    public static ulong Step(double frequencyHz, double prr) => (ulong)(long)Math.Round(frequencyHz / prr * 18446744073709551616.0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sin(ulong phase)
    {
        int i = (int)(phase >> (64 - Bits));
        // Through int: a ulong-to-float conversion is a slow path on x64 without AVX-512.
        float fraction = (int)((phase >> (40 - Bits)) & 0xFFFFFF) * (1f / (1 << 24));
        // i < Size by construction (the phase's top Bits bits), so the bounds checks can go.
        return Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(Values), i)
             + Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(Slopes), i) * fraction;
    }
}
