namespace Focus.Analyzer.Spectral;

/// <summary>
/// The periodic Hann window <c>0.5 - 0.5*cos(2*pi*n/N)</c>, n = 0..N-1, scaled so that
/// <c>sum w[n]^2 = 1</c> (CONTRACT §1: white noise of unit variance then reads 0 dB). Immutable.
/// </summary>
public sealed class HannWindow
{
    private readonly double[] _values;
    private readonly float[] _valuesSingle;

    public HannWindow(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        Length = length;
        _values = new double[length];
        double sumSquares = 0;
        for (int n = 0; n < length; n++)
        {
            double w = 0.5 - 0.5 * Math.Cos(2.0 * Math.PI * n / length);
            _values[n] = w;
            sumSquares += w * w;
        }
        UnscaledSumOfSquares = sumSquares;
        double scale = 1.0 / Math.Sqrt(sumSquares);
        _valuesSingle = new float[length];
        for (int n = 0; n < length; n++)
        {
            _values[n] *= scale;
            _valuesSingle[n] = (float)_values[n];
        }
    }

    public int Length { get; }

    /// <summary><c>sum w[n]^2</c> of the plain (unscaled) Hann window, 3N/8: the power factor between the two.</summary>
    public double UnscaledSumOfSquares { get; }

    /// <summary>The scaled window in double precision.</summary>
    public ReadOnlySpan<double> Values => _values;

    /// <summary>The scaled window rounded to float.</summary>
    public ReadOnlySpan<float> ValuesSingle => _valuesSingle;
}
