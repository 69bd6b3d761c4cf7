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
    private readonly float[] _cosSingle;
    private readonly float[] _sinSingle;
    private readonly float[] _stageCos;
    private readonly float[] _stageSin;
    private readonly float[] _tripleCos;
    private readonly float[] _tripleSin;

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

        _cosSingle = new float[half + 1];
        _sinSingle = new float[half + 1];
        for (int k = 0; k <= half; k++)
        {
            _cosSingle[k] = (float)_cos[k];
            _sinSingle[k] = (float)_sin[k];
        }

        // Per-stage tables of the half-length complex FFT for stages of size s = 8, 16, .., N/2:
        // e^(-2*pi*i*j/s), j = 0..s/2-1, stored back to back; stage s starts at s/2 - 4.
        int stageLength = Math.Max(0, half - 4);
        _stageCos = new float[stageLength];
        _stageSin = new float[stageLength];
        // And for the radix-4 pass over stages s and 2s: W_2s^(3j), j = 0..s/2-1, at the same offsets as stage s.
        _tripleCos = new float[stageLength];
        _tripleSin = new float[stageLength];
        for (int s = 8; s <= half; s <<= 1)
        {
            int offset = s / 2 - 4, stride = length / s;
            for (int j = 0; j < s / 2; j++)
            {
                _stageCos[offset + j] = (float)_cos[j * stride];
                _stageSin[offset + j] = (float)_sin[j * stride];
                double a = -2.0 * Math.PI * 3 * j / (2 * s);
                _tripleCos[offset + j] = (float)Math.Cos(a);
                _tripleSin[offset + j] = (float)Math.Sin(a);
            }
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

    /// <summary><see cref="Cos"/> rounded to float.</summary>
    public ReadOnlySpan<float> CosSingle => _cosSingle;

    /// <summary><see cref="Sin"/> rounded to float.</summary>
    public ReadOnlySpan<float> SinSingle => _sinSingle;

    /// <summary>Float twiddles of the N/2-point complex FFT stages of size 8..N/2; stage s at offset s/2 - 4.</summary>
    public ReadOnlySpan<float> StageCos => _stageCos;

    /// <summary>Imaginary parts matching <see cref="StageCos"/>.</summary>
    public ReadOnlySpan<float> StageSin => _stageSin;

    /// <summary><c>cos(-2*pi*3j/(2s))</c> of the radix-4 pass over stages s and 2s, j = 0..s/2-1, at offset s/2 - 4.</summary>
    public ReadOnlySpan<float> TripleCos => _tripleCos;

    /// <summary>Imaginary parts matching <see cref="TripleCos"/>.</summary>
    public ReadOnlySpan<float> TripleSin => _tripleSin;

    public static bool IsValidLength(int length) =>
        length >= MinLength && length <= MaxLength && System.Numerics.BitOperations.IsPow2(length);
}
