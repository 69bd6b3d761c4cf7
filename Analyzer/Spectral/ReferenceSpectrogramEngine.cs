using System.Runtime.CompilerServices;

namespace Focus.Analyzer.Spectral;

/// <summary>
/// The plain C# engine: one channel at a time, a radix-2 real FFT in double precision. Correct by
/// construction (checked against a naive DFT of the CONTRACT formula) and the test oracle for the
/// SIMD engine.
/// </summary>
public sealed class ReferenceSpectrogramEngine : ISpectrogramEngine
{
    private readonly FftPlanCache _plans;

    public ReferenceSpectrogramEngine() : this(FftPlanCache.Shared) { }

    public ReferenceSpectrogramEngine(FftPlanCache plans) => _plans = plans;

    public string Name => "reference";

    public ISpectrumKernel CreateSpectrum(SpectrumShape shape)
    {
        SpectralShapes.Validate(shape);
        return new ReferenceSpectrumKernel(shape, _plans.Get(shape.Nfft));
    }

    public IWaterfallKernel CreateWaterfall(WaterfallShape shape)
    {
        SpectralShapes.Validate(shape);
        return new ReferenceWaterfallKernel(shape);
    }
}

internal sealed class ReferenceSpectrumKernel : ISpectrumKernel
{
    private readonly FftPlan _plan;
    private readonly double[] _re;
    private readonly double[] _im;

    public ReferenceSpectrumKernel(SpectrumShape shape, FftPlan plan)
    {
        Shape = shape;
        _plan = plan;
        _re = new double[shape.Nfft / 2];
        _im = new double[shape.Nfft / 2];
    }

    public SpectrumShape Shape { get; }

    // Optimised from the first call: tiered compilation would run this loop nest as tier-0 code for seconds.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Compute(ReadOnlySpan<float> frame, Span<float> destination)
    {
        SpectrumShape s = Shape;
        SpectralShapes.CheckSpans(s, frame.Length, destination.Length);
        int n = s.Nfft, m = n / 2, channels = s.Channels;
        ReadOnlySpan<double> w = _plan.Window.Values;
        ReadOnlySpan<int> rev = _plan.BitReverse;
        ReadOnlySpan<double> cos = _plan.Cos, sin = _plan.Sin;
        Span<double> re = _re, im = _im;

        for (int c = 0; c < channels; c++)
        {
            // Gather + window + pack even/odd samples into z[j] = x[2j] + i x[2j+1], bit-reversed.
            for (int j = 0; j < m; j++)
            {
                int t = 2 * j, r = rev[j];
                re[r] = frame[t * channels + c] * w[t];
                im[r] = frame[(t + 1) * channels + c] * w[t + 1];
            }

            // Iterative radix-2 decimation-in-time on the m-point complex sequence.
            for (int size = 2; size <= m; size <<= 1)
            {
                int half = size >> 1, stride = n / size;
                for (int start = 0; start < m; start += size)
                {
                    for (int j = 0; j < half; j++)
                    {
                        double wr = cos[j * stride], wi = sin[j * stride];
                        int a = start + j, b = a + half;
                        double tr = re[b] * wr - im[b] * wi;
                        double ti = re[b] * wi + im[b] * wr;
                        re[b] = re[a] - tr; im[b] = im[a] - ti;
                        re[a] += tr; im[a] += ti;
                    }
                }
            }

            // Split the half-length transform into the one-sided real spectrum, kept bins only.
            Span<float> row = destination.Slice(c * s.BinCount, s.BinCount);
            for (int i = 0; i < s.BinCount; i++)
            {
                int k = s.FirstBin + i;
                int k1 = k == m ? 0 : k, k2 = k == 0 ? 0 : m - k;
                double zr = re[k1], zi = im[k1], cr = re[k2], ci = -im[k2];
                double er = 0.5 * (zr + cr), ei = 0.5 * (zi + ci);      // even samples' spectrum
                double or = 0.5 * (zi - ci), oi = -0.5 * (zr - cr);    // odd samples' spectrum
                double xr = er + or * cos[k] - oi * sin[k];
                double xi = ei + or * sin[k] + oi * cos[k];
                row[i] = (float)(10.0 * Math.Log10(xr * xr + xi * xi + 1e-12));
            }
        }
    }
}

internal sealed class ReferenceWaterfallKernel : IWaterfallKernel
{
    private readonly double[] _sums;

    public ReferenceWaterfallKernel(WaterfallShape shape)
    {
        Shape = shape;
        _sums = new double[shape.Channels];
    }

    public WaterfallShape Shape { get; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Compute(ReadOnlySpan<float> block, Span<float> destination)
    {
        WaterfallShape s = Shape;
        SpectralShapes.CheckSpans(s, block.Length, destination.Length);
        int channels = s.Channels;
        Span<double> sums = _sums;
        sums.Clear();
        for (int t = 0; t < s.Hop; t++)
        {
            ReadOnlySpan<float> row = block.Slice(t * channels, channels);
            for (int c = 0; c < channels; c++)
                sums[c] += (double)row[c] * row[c];
        }
        for (int c = 0; c < channels; c++)
            destination[c] = (float)(10.0 * Math.Log10(sums[c] / s.Hop + 1e-12));
    }
}
