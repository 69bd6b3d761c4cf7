namespace Focus.IntegrationTests.Historic;

/// <summary>
/// CONTRACT §1's spectrum in double precision, the slow way: <c>10*log10(|X_k|^2 + 1e-12)</c>, <c>X_k = Σ w[n] x[n]
/// e^(-2πikn/N)</c>, <c>w</c> the periodic Hann window scaled so that Σw² = 1. Independent of the analyzer's kernels.
/// </summary>
public sealed class ContractSpectrum
{
    private readonly int _n;
    private readonly int[] _bins;
    private readonly double[] _window;
    private readonly double[] _cos;
    private readonly double[] _sin;

    public ContractSpectrum(int n, int[] bins)
    {
        _n = n;
        _bins = bins;
        _window = new double[n];
        for (var i = 0; i < n; i++) _window[i] = 0.5 - 0.5 * Math.Cos(2 * Math.PI * i / n);
        var scale = 1 / Math.Sqrt(_window.Sum(w => w * w));
        for (var i = 0; i < n; i++) _window[i] *= scale;
        _cos = new double[n];
        _sin = new double[n];
        for (var i = 0; i < n; i++)
        {
            _cos[i] = Math.Cos(2 * Math.PI * i / n);
            _sin[i] = Math.Sin(2 * Math.PI * i / n);
        }
    }

    /// <summary>The bins of channel column <paramref name="column"/> of time-major samples, frame starting at <paramref name="row"/>.</summary>
    public double[] Compute(float[] samples, long row, int column, int columns)
    {
        var x = new double[_n];
        for (var i = 0; i < _n; i++) x[i] = _window[i] * samples[(row + i) * columns + column];
        var result = new double[_bins.Length];
        for (var b = 0; b < _bins.Length; b++)
        {
            double re = 0, im = 0;
            for (var i = 0; i < _n; i++)
            {
                var t = (int)((long)_bins[b] * i % _n);
                re += x[i] * _cos[t];
                im -= x[i] * _sin[t];
            }
            result[b] = 10 * Math.Log10(re * re + im * im + 1e-12);
        }
        return result;
    }
}
