using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Focus.Analyzer.Spectral;
using Focus.Analyzer.Spectral.Kernels;

namespace Focus.UnitTests.Spectral;

public class SimdSpectrogramEngineTests
{
    private const double Tolerance = 0.01;   // dB, where the power exceeds MinPower (the yardstick's rule)
    private const double MinPowerDb = -10;    // power > 0.1

    public static readonly TheoryData<SimdWidth> Widths = new() { SimdWidth.Scalar, SimdWidth.Vector128, SimdWidth.Vector256, SimdWidth.Vector512 };

    private static readonly ReferenceSpectrogramEngine Reference = new();

    private static float[] Signal(int nfft, int channels, int seed)
    {
        var random = new Random(seed);
        float[] frame = SpectralOracle.Gaussian(random, nfft, channels);
        for (int n = 0; n < nfft; n++)
            for (int c = 0; c < channels; c++)
                frame[n * channels + c] += (float)(0.3 * c + 2 * Math.Sin(2 * Math.PI * (c * 0.37 + 3.3) * n / nfft + c));
        return frame;
    }

    private static void AssertAgrees(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (expected[i] <= MinPowerDb) continue;
            double d = Math.Abs(expected[i] - actual[i]);
            Assert.True(d < Tolerance, $"{what}: cell {i}: {actual[i]} vs {expected[i]} dB (|d| = {d})");
        }
    }

    private static float[] Run(ISpectrogramEngine engine, SpectrumShape shape, float[] frame)
    {
        var output = new float[shape.Channels * shape.BinCount];
        engine.CreateSpectrum(shape).Compute(frame, output);
        return output;
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void AgreesWithReferenceForEveryChannelTail(SimdWidth width)
    {
        var engine = new SimdSpectrogramEngine(FftPlanCache.Shared, width);
        foreach (int nfft in new[] { 16, 32, 64, 256 })
        {
            for (int channels = 1; channels <= 40; channels++)
            {
                var random = new Random(nfft * 100 + channels);
                int first = random.Next(0, nfft / 4), count = random.Next(1, nfft / 2 + 2 - first);
                var shape = new SpectrumShape(nfft, first, count, channels);
                float[] frame = Signal(nfft, channels, channels);
                AssertAgrees(Run(Reference, shape, frame), Run(engine, shape, frame), $"{width} nfft {nfft} channels {channels}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void AgreesWithReferenceForEveryLength(SimdWidth width)
    {
        var engine = new SimdSpectrogramEngine(FftPlanCache.Shared, width);
        for (int nfft = 16; nfft <= 65536; nfft *= 2)
        {
            // Few channels for the large lengths (debug builds are slow); 16 still fills a Vector512 block.
            int[] channelCounts = nfft <= 4096 ? [1, 7, 17, 33] : nfft <= 16384 ? [3, 17] : width == SimdWidth.Scalar ? [1, 2] : [1, 16];
            foreach (int channels in channelCounts)
            {
                var shape = new SpectrumShape(nfft, 0, nfft / 2 + 1, channels);
                float[] frame = Signal(nfft, channels, nfft + channels);
                AssertAgrees(Run(Reference, shape, frame), Run(engine, shape, frame), $"{width} nfft {nfft} channels {channels}");
            }
        }
    }

    [Theory]
    [InlineData(16, 3)]
    [InlineData(128, 17)]
    [InlineData(1024, 20)]
    [InlineData(4096, 2)]
    public void AgreesWithNaiveDft(int nfft, int channels)
    {
        float[] frame = Signal(nfft, channels, 7);
        var shape = new SpectrumShape(nfft, 0, nfft / 2 + 1, channels);
        float[] actual = Run(new SimdSpectrogramEngine(), shape, frame);
        var expected = new float[actual.Length];
        for (int c = 0; c < channels; c++)
        {
            double[] p = SpectralOracle.Power(frame, nfft, channels, c);
            for (int k = 0; k <= nfft / 2; k++) expected[c * (nfft / 2 + 1) + k] = (float)SpectralOracle.Db(p[k]);
        }
        AssertAgrees(expected, actual, $"nfft {nfft}");
    }

    [Theory]
    [InlineData(16, 0, 1)]     // DC only
    [InlineData(16, 8, 1)]     // Nyquist only
    [InlineData(256, 0, 2)]
    [InlineData(256, 127, 2)]  // the last two bins
    [InlineData(4096, 2047, 2)]
    public void BinsAtTheRangeEdges(int nfft, int firstBin, int binCount)
    {
        foreach (int channels in new[] { 1, 5, 16, 21 })
        {
            // A DC offset and a Nyquist-rate alternation give the edge bins real power.
            float[] frame = Signal(nfft, channels, firstBin + channels);
            for (int n = 0; n < nfft; n++)
                for (int c = 0; c < channels; c++)
                    frame[n * channels + c] += (n % 2 == 0 ? 1.5f : -1.5f) + 0.7f;
            var shape = new SpectrumShape(nfft, firstBin, binCount, channels);
            AssertAgrees(Run(Reference, shape, frame), Run(new SimdSpectrogramEngine(), shape, frame), $"nfft {nfft} bins {firstBin}+{binCount} channels {channels}");
        }
    }

    [Fact]
    public void EveryWidthGivesTheSameResultPerChannel()
    {
        // Lanes never interact and every width runs the same operations, so per channel the widths agree
        // to float rounding (bit-identical where all widths use FMA, as on x64 with FMA and on Arm64).
        int nfft = 512, channels = 37;
        float[] frame = Signal(nfft, channels, 3);
        var shape = new SpectrumShape(nfft, 5, 200, channels);
        float[] scalar = Run(new SimdSpectrogramEngine(FftPlanCache.Shared, SimdWidth.Scalar), shape, frame);
        foreach (SimdWidth width in new[] { SimdWidth.Vector128, SimdWidth.Vector256, SimdWidth.Vector512 })
        {
            float[] other = Run(new SimdSpectrogramEngine(FftPlanCache.Shared, width), shape, frame);
            for (int i = 0; i < scalar.Length; i++)
                Assert.True(Math.Abs(scalar[i] - other[i]) <= 1e-4, $"{width} cell {i}: {other[i]} vs scalar {scalar[i]}");
        }
    }

    [Fact]
    public void KernelPicksWidthsByChannelCount()
    {
        var engine = new SimdSpectrogramEngine(FftPlanCache.Shared, SimdWidth.Vector512);
        // Tails run in one zero-padded block of the narrowest width that holds them.
        Assert.Equal(SimdWidth.Scalar, engine.CreateSimdSpectrum(new SpectrumShape(64, 0, 33, 1)).Width);
        Assert.Equal(SimdWidth.Vector128, engine.CreateSimdSpectrum(new SpectrumShape(64, 0, 33, 3)).Width);
        Assert.Equal(SimdWidth.Vector256, engine.CreateSimdSpectrum(new SpectrumShape(64, 0, 33, 7)).Width);
        Assert.Equal(SimdWidth.Vector512, engine.CreateSimdSpectrum(new SpectrumShape(64, 0, 33, 15)).Width);
        Assert.Equal(SimdWidth.Vector512, engine.CreateSimdSpectrum(new SpectrumShape(64, 0, 33, 16)).Width);
        Assert.Equal(SimdWidth.Scalar, new SimdSpectrogramEngine(FftPlanCache.Shared, SimdWidth.Scalar)
            .CreateSimdSpectrum(new SpectrumShape(64, 0, 33, 40)).Width);
        Assert.Equal(SimdWidth.Vector256, new SimdSpectrogramEngine(FftPlanCache.Shared, SimdWidth.Vector256)
            .CreateSimdSpectrum(new SpectrumShape(64, 0, 33, 40)).Width);
    }

    [Theory]
    [InlineData(64, 9)]
    [InlineData(1024, 511)]
    public void ToneAtBinKPeaksAtBinK(int nfft, int k)
    {
        int channels = 19;
        var frame = new float[nfft * channels];
        for (int n = 0; n < nfft; n++)
            for (int c = 0; c < channels; c++)
                frame[n * channels + c] = (float)((c + 1) * Math.Cos(2 * Math.PI * k * n / nfft + c));
        int bins = nfft / 2 + 1;
        float[] output = Run(new SimdSpectrogramEngine(), new SpectrumShape(nfft, 0, bins, channels), frame);
        for (int c = 0; c < channels; c++)
        {
            ReadOnlySpan<float> row = output.AsSpan(c * bins, bins);
            int peak = 0;
            for (int i = 1; i < bins; i++) if (row[i] > row[peak]) peak = i;
            Assert.Equal(k, peak);
        }
    }

    [Fact]
    public void StridedComputeRunsASliceOfAWiderFrame()
    {
        // Channels 5..24 of a 40-channel frame, written with a row stride of 150.
        int nfft = 256, wide = 40, first = 5, channels = 20, bins = 129, stride = 150;
        float[] frame = Signal(nfft, wide, 11);
        float[] all = Run(Reference, new SpectrumShape(nfft, 0, bins, wide), frame);
        var kernel = new SimdSpectrogramEngine().CreateSimdSpectrum(new SpectrumShape(nfft, 0, bins, channels));
        var output = new float[channels * stride];
        kernel.Compute(frame.AsSpan(first), wide, output, stride);
        for (int c = 0; c < channels; c++)
            AssertAgrees(all.AsSpan((first + c) * bins, bins).ToArray(), output.AsSpan(c * stride, bins).ToArray(), $"channel {first + c}");
        Assert.Throws<ArgumentException>(() => kernel.Compute(frame.AsSpan(first + 16), wide, output, stride));
    }

    [Fact]
    public void PowerGainShiftsTheDecibels()
    {
        int nfft = 128, channels = 16, bins = 65;
        float[] frame = Signal(nfft, channels, 5);
        var engine = new SimdSpectrogramEngine();
        var plain = new float[channels * bins];
        var gained = new float[channels * bins];
        engine.CreateSimdSpectrum(new SpectrumShape(nfft, 0, bins, channels)).Compute(frame, plain);
        engine.CreateSimdSpectrum(new SpectrumShape(nfft, 0, bins, channels), 100f).Compute(frame, gained);
        for (int i = 0; i < plain.Length; i++)
            if (plain[i] > -10) Assert.Equal(plain[i] + 20, gained[i], 1e-3);

        // The floor 1e-12 is added after the gain (the kernel folds it as 1e-12/gain): silence is -120 dB at any gain.
        foreach (float gain in new[] { 1f, 100f, 0.01f })
        {
            engine.CreateSimdSpectrum(new SpectrumShape(nfft, 0, bins, channels), gain).Compute(new float[nfft * channels], gained);
            Assert.All(gained, v => Assert.Equal(-120, v, 1e-3));
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => engine.CreateSimdSpectrum(new SpectrumShape(nfft, 0, bins, channels), 0f));
        Assert.Throws<ArgumentOutOfRangeException>(() => engine.CreateSimdSpectrum(new SpectrumShape(nfft, 0, bins, channels), float.NaN));
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void SteadyStateDoesNotAllocate(SimdWidth width)
    {
        int nfft = 1024, channels = 37;
        var kernel = new SimdSpectrogramEngine(FftPlanCache.Shared, width).CreateSpectrum(new SpectrumShape(nfft, 3, 400, channels));
        float[] frame = Signal(nfft, channels, 1);
        var output = new float[channels * 400];
        kernel.Compute(frame, output); // warm-up (JIT)
        Assert.Equal(0, SteadyStateAllocation.Least(() =>
        {
            for (int i = 0; i < 20; i++) kernel.Compute(frame, output);
        }));

        var waterfall = new SimdSpectrogramEngine().CreateWaterfall(new WaterfallShape(20, channels));
        var line = new float[channels];
        waterfall.Compute(frame, line);
        Assert.Equal(0, SteadyStateAllocation.Least(() =>
        {
            for (int i = 0; i < 20; i++) waterfall.Compute(frame, line);
        }));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(20, 3)]
    [InlineData(100, 37)]
    [InlineData(1000, 2222)]
    public void WaterfallAgreesWithReference(int hop, int channels)
    {
        float[] block = SpectralOracle.Noise(new Random(hop), hop * channels, 1, 2.0);
        for (int i = 0; i < channels; i++) block[i] = 0; // a silent sample in every channel's first row
        var expected = new float[channels];
        var actual = new float[channels];
        Reference.CreateWaterfall(new WaterfallShape(hop, channels)).Compute(block, expected);
        new SimdSpectrogramEngine().CreateWaterfall(new WaterfallShape(hop, channels)).Compute(block, actual);
        for (int c = 0; c < channels; c++) Assert.Equal(expected[c], actual[c], 1e-3);

        var constant = new float[hop * channels];
        Array.Fill(constant, -0.25f);
        new SimdSpectrogramEngine().CreateWaterfall(new WaterfallShape(hop, channels)).Compute(constant, actual);
        Assert.All(actual, v => Assert.Equal(10 * Math.Log10(0.0625), v, 1e-3));
    }

    [Fact]
    public void FastLogIsAccurateToAMillidecibelOnEveryWidth()
    {
        var random = new Random(9);
        var p = new float[4096];
        for (int i = 0; i < p.Length; i++) p[i] = (float)Math.Pow(10, random.NextDouble() * 20 - 12); // 1e-12 .. 1e8
        p[0] = 1e-12f; p[1] = 1f; p[2] = 2f / 3; p[3] = 4f / 3; p[4] = 1e8f; p[5] = float.Epsilon * (1 << 23) * 4;
        double worst = 0;
        for (int i = 0; i < p.Length; i += 16)
        {
            Vector512<float> v512 = FastLog.Db<Vector512<float>, V512Ops>(Vector512.Create(p.AsSpan(i, 16)));
            for (int j = 0; j < 16; j++)
            {
                double exact = 10 * Math.Log10(p[i + j]);
                worst = Math.Max(worst, Math.Abs(FastLog.Db(p[i + j]) - exact));
                worst = Math.Max(worst, Math.Abs(v512[j] - exact));
                worst = Math.Max(worst, Math.Abs(FastLog.Db<Vector256<float>, V256Ops>(Vector256.Create(p[i + j]))[0] - exact));
                worst = Math.Max(worst, Math.Abs(FastLog.Db<Vector128<float>, V128Ops>(Vector128.Create(p[i + j]))[3] - exact));
            }
        }
        Assert.True(worst < 1e-4, $"max error {worst} dB");
    }

    [Fact]
    public void TileTransposesMatchScalar()
    {
        var source = new float[256];
        for (int i = 0; i < source.Length; i++) source[i] = i;
        foreach (int lanes in new[] { 4, 8, 16 })
        {
            const int stride = 21;
            var expected = new float[lanes * stride];
            var actual = new float[lanes * stride];
            Transpose.Scalar(ref source[0], lanes, lanes, lanes, ref expected[0], stride);
            Transpose.Tile(ref source[0], lanes, lanes, ref actual[0], stride);
            Assert.Equal(expected, actual);
            for (int l = 0; l < lanes; l++)
                for (int r = 0; r < lanes; r++)
                    Assert.Equal(r * lanes + l, expected[l * stride + r]);
        }
        Assert.True(!Avx512F.IsSupported || Vector512.IsHardwareAccelerated || true);
    }
}

public class SpectrogramEnginesTests
{
    [Fact]
    public void CreatesEnginesByName()
    {
        Assert.IsType<ReferenceSpectrogramEngine>(SpectrogramEngines.Create("reference"));
        Assert.Equal("simd", SpectrogramEngines.Create("SIMD").Name);
        var capped = Assert.IsType<SimdSpectrogramEngine>(SpectrogramEngines.Create("simd:vector256"));
        Assert.Equal(SimdWidth.Vector256, capped.MaxWidth);
        Assert.Throws<ArgumentException>(() => SpectrogramEngines.Create("fftw"));
        Assert.Throws<ArgumentException>(() => SpectrogramEngines.Create("simd:7"));
    }
}
