using Focus.Analyzer.Spectral;

namespace Focus.UnitTests.Spectral;

public class ReferenceSpectrogramEngineTests
{
    private static readonly ReferenceSpectrogramEngine Engine = new();

    [Theory]
    [InlineData(16, 1, 0, 9, 1)]
    [InlineData(16, 3, 2, 5, 2)]
    [InlineData(32, 5, 0, 17, 3)]
    [InlineData(128, 7, 0, 65, 4)]
    [InlineData(128, 2, 10, 30, 5)]
    [InlineData(256, 9, 100, 29, 6)]
    [InlineData(1024, 3, 0, 513, 7)]
    [InlineData(1024, 2, 200, 100, 8)]
    [InlineData(4096, 1, 1000, 1049, 9)]
    public void MatchesNaiveDft(int nfft, int channels, int firstBin, int binCount, int seed)
    {
        var random = new Random(seed);
        // Noise plus a couple of tones, with a random offset per channel, so all bins carry signal.
        float[] frame = SpectralOracle.Noise(random, nfft, channels);
        for (int n = 0; n < nfft; n++)
            for (int c = 0; c < channels; c++)
                frame[n * channels + c] += (float)(0.5 + c + 3 * Math.Sin(2 * Math.PI * (c + 5.3) * n / nfft));

        var kernel = Engine.CreateSpectrum(new SpectrumShape(nfft, firstBin, binCount, channels));
        var output = new float[channels * binCount];
        kernel.Compute(frame, output);

        int checkedCells = 0;
        for (int c = 0; c < channels; c++)
        {
            double[] p = SpectralOracle.Power(frame, nfft, channels, c);
            for (int i = 0; i < binCount; i++)
            {
                double power = p[firstBin + i];
                if (power <= 1e-6) continue;
                double expected = SpectralOracle.Db(power);
                Assert.True(Math.Abs(output[c * binCount + i] - expected) < 1e-3,
                    $"nfft {nfft} channel {c} bin {firstBin + i}: {output[c * binCount + i]} vs {expected} dB");
                checkedCells++;
            }
        }
        Assert.True(checkedCells > channels * binCount / 2, "most cells should carry power");
    }

    [Fact]
    public void MatchesNaiveDftForRandomShapes()
    {
        var random = new Random(42);
        for (int trial = 0; trial < 12; trial++)
        {
            int nfft = 16 << random.Next(0, 7);          // 16..1024
            int channels = random.Next(1, 20);
            int firstBin = random.Next(0, nfft / 2 + 1);
            int binCount = random.Next(1, nfft / 2 + 2 - firstBin);
            MatchesNaiveDft(nfft, channels, firstBin, binCount, 1000 + trial);
        }
    }

    [Theory]
    [InlineData(16)]
    [InlineData(128)]
    [InlineData(1024)]
    [InlineData(65536)]
    public void WhiteNoiseOfUnitVarianceReadsZeroDecibels(int nfft)
    {
        var random = new Random(nfft);
        int channels = 4, frames = nfft >= 16384 ? 4 : 64;
        var kernel = Engine.CreateSpectrum(new SpectrumShape(nfft, 1, nfft / 2 - 1, channels));
        var output = new float[channels * (nfft / 2 - 1)];
        double sum = 0;
        long count = 0;
        for (int f = 0; f < frames; f++)
        {
            float[] frame = SpectralOracle.Gaussian(random, nfft, channels);
            kernel.Compute(frame, output);
            // Average power (not dB) over bins and frames: E|X_k|^2 = sigma^2 sum w^2 = 1.
            foreach (float db in output) { sum += Math.Pow(10, db / 10); count++; }
        }
        double meanDb = 10 * Math.Log10(sum / count);
        Assert.InRange(meanDb, -0.25, 0.25);
    }

    [Theory]
    [InlineData(16, 3)]
    [InlineData(128, 17)]
    [InlineData(1024, 100)]
    [InlineData(1024, 511)]
    [InlineData(8192, 2000)]
    public void PureToneAtBinKPeaksAtBinK(int nfft, int k)
    {
        int channels = 2;
        var frame = new float[nfft * channels];
        for (int n = 0; n < nfft; n++)
        {
            frame[n * channels] = (float)Math.Cos(2 * Math.PI * k * n / nfft);
            frame[n * channels + 1] = (float)(0.1 * Math.Sin(2 * Math.PI * k * n / nfft + 0.3));
        }
        int bins = nfft / 2 + 1;
        var kernel = Engine.CreateSpectrum(new SpectrumShape(nfft, 0, bins, channels));
        var output = new float[channels * bins];
        kernel.Compute(frame, output);
        for (int c = 0; c < channels; c++)
        {
            ReadOnlySpan<float> row = output.AsSpan(c * bins, bins);
            int peak = 0;
            for (int i = 1; i < bins; i++) if (row[i] > row[peak]) peak = i;
            Assert.Equal(k, peak);
        }
        // Amplitude 1 cosine with the unit-power Hann: |X_k| = (N/2) * mean(w) = (N/2) * 0.5 * scale.
        double scale = 1 / Math.Sqrt(3.0 * nfft / 8);
        double expected = 10 * Math.Log10(Math.Pow(nfft / 4.0 * scale, 2));
        Assert.Equal(expected, output[k], 1e-2);
    }

    [Fact]
    public void ChannelLayoutMapsChannelCToRowC()
    {
        // Channel c carries a tone at bin c + 2 only: row c must peak at c + 2.
        int nfft = 64, channels = 11, bins = nfft / 2 + 1;
        var frame = new float[nfft * channels];
        for (int n = 0; n < nfft; n++)
            for (int c = 0; c < channels; c++)
                frame[n * channels + c] = (float)Math.Cos(2 * Math.PI * (c + 2) * n / nfft);
        var output = new float[channels * bins];
        Engine.CreateSpectrum(new SpectrumShape(nfft, 0, bins, channels)).Compute(frame, output);
        for (int c = 0; c < channels; c++)
        {
            ReadOnlySpan<float> row = output.AsSpan(c * bins, bins);
            int peak = 0;
            for (int i = 1; i < bins; i++) if (row[i] > row[peak]) peak = i;
            Assert.Equal(c + 2, peak);
        }
    }

    [Fact]
    public void ZeroInputReadsTheFloor()
    {
        var output = new float[3 * 9];
        Engine.CreateSpectrum(new SpectrumShape(16, 0, 9, 3)).Compute(new float[16 * 3], output);
        Assert.All(output, v => Assert.Equal(-120.0, v, 1e-3));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(20, 3)]
    [InlineData(100, 17)]
    public void WaterfallOfConstantAmplitudeIsTenLog10ASquared(int hop, int channels)
    {
        var block = new float[hop * channels];
        for (int t = 0; t < hop; t++)
            for (int c = 0; c < channels; c++)
                block[t * channels + c] = (t % 2 == 0 ? 1 : -1) * (0.5f + c);
        var output = new float[channels];
        Engine.CreateWaterfall(new WaterfallShape(hop, channels)).Compute(block, output);
        for (int c = 0; c < channels; c++)
            Assert.Equal(10 * Math.Log10(Math.Pow(0.5 + c, 2)), output[c], 1e-4);
    }

    [Fact]
    public void WaterfallIsMeanPowerPerChannel()
    {
        // Channel 0: samples 1,2,3 -> mean 14/3. Channel 1: zeros -> floor. Channel 2: 0,0,3 -> 3.
        float[] block = [1, 0, 0, 2, 0, 0, 3, 0, 3];
        var output = new float[3];
        Engine.CreateWaterfall(new WaterfallShape(3, 3)).Compute(block, output);
        Assert.Equal(10 * Math.Log10(14.0 / 3), output[0], 1e-4);
        Assert.Equal(-120.0, output[1], 1e-3);
        Assert.Equal(10 * Math.Log10(3.0), output[2], 1e-4);
    }

    [Theory]
    [InlineData(8, 0, 5, 1)]
    [InlineData(1000, 0, 5, 1)]
    [InlineData(131072, 0, 5, 1)]
    [InlineData(16, 0, 10, 1)]
    [InlineData(16, 9, 1, 1)]
    [InlineData(16, -1, 2, 1)]
    [InlineData(16, 0, 0, 1)]
    [InlineData(16, 0, 9, 0)]
    public void RejectsInvalidSpectrumShapes(int nfft, int firstBin, int binCount, int channels) =>
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            Engine.CreateSpectrum(new SpectrumShape(nfft, firstBin, binCount, channels)));

    [Fact]
    public void RejectsShortSpans()
    {
        var kernel = Engine.CreateSpectrum(new SpectrumShape(16, 0, 9, 2));
        Assert.Throws<ArgumentException>(() => kernel.Compute(new float[31], new float[18]));
        Assert.Throws<ArgumentException>(() => kernel.Compute(new float[32], new float[17]));
        var waterfall = Engine.CreateWaterfall(new WaterfallShape(4, 2));
        Assert.Throws<ArgumentException>(() => waterfall.Compute(new float[7], new float[2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Engine.CreateWaterfall(new WaterfallShape(0, 2)));
    }

    [Fact]
    public void PlanCacheSharesOnePlanPerLength()
    {
        var cache = new FftPlanCache();
        Assert.Same(cache.Get(1024), cache.Get(1024));
        Assert.NotSame(cache.Get(1024), cache.Get(2048));
        double sumSquares = 0;
        foreach (double w in cache.Get(1024).Window.Values) sumSquares += w * w;
        Assert.Equal(1.0, sumSquares, 1e-12);
        Assert.Equal(0.0, cache.Get(1024).Window.Values[0]);
    }
}
