namespace Focus.Analyzer.Spectral;

/// <summary>
/// Everything that depends only on the transform length N (a power of two, 16..65536): the
/// unit-power Hann window and the twiddle factors <c>e^(-2*pi*i*k/N)</c>, k = 0..N/2, plus the
/// bit-reversal permutation of the half-length complex FFT that the real transform runs on.
/// Immutable and shared between kernels through <see cref="FftPlanCache"/>.
/// </summary>
public sealed class FftPlan
{
    public const int MinLength = 16;
    public const int MaxLength = 65536;

    private readonly double[] _cos;
    private readonly double[] _sin;
    private readonly int[] _bitReverse;

    public FftPlan(int length)
    {
        if (!IsValidLength(length))
            throw new ArgumentOutOfRangeException(nameof(length), length,
                $"FFT length must be a power of two between {MinLength} and {MaxLength}.");
        Length = length;
        Log2Length = System.Numerics.BitOperations.Log2((uint)length);
        Window = new HannWindow(length);

        int half = length / 2;
        _cos = new double[half + 1];
        _sin = new double[half + 1];
        for (int k = 0; k <= half; k++)
        {
            double a = -2.0 * Math.PI * k / length;
            _cos[k] = Math.Cos(a);
            _sin[k] = Math.Sin(a);
        }
        // Exact values where they are known, so that k = N/4, N/2 give clean 0/±1.
        _cos[half] = -1; _sin[half] = 0;
        _cos[half / 2] = 0; _sin[half / 2] = -1;

        int bits = Log2Length - 1;
        _bitReverse = new int[half];
        for (int i = 0; i < half; i++)
        {
            int r = 0;
            for (int b = 0; b < bits; b++)
                r |= ((i >> b) & 1) << (bits - 1 - b);
            _bitReverse[i] = r;
        }
    }

    /// <summary>N, the real transform length.</summary>
    public int Length { get; }

    public int Log2Length { get; }

    /// <summary>Number of one-sided bins, N/2 + 1.</summary>
    public int BinCount => Length / 2 + 1;

    public HannWindow Window { get; }

    /// <summary><c>cos(-2*pi*k/N)</c>, k = 0..N/2.</summary>
    public ReadOnlySpan<double> Cos => _cos;

    /// <summary><c>sin(-2*pi*k/N)</c>, k = 0..N/2.</summary>
    public ReadOnlySpan<double> Sin => _sin;

    /// <summary>Bit-reversal permutation of the N/2-point complex FFT.</summary>
    public ReadOnlySpan<int> BitReverse => _bitReverse;

    public static bool IsValidLength(int length) =>
        length >= MinLength && length <= MaxLength && System.Numerics.BitOperations.IsPow2(length);
}
