using System.Runtime.Intrinsics;
using Focus.Analyzer.Spectral;
using Focus.Analyzer.Spectral.Kernels;

namespace Focus.UnitTests.Spectral;

/// <summary>
/// <see cref="SlidingFrames"/> derives most of the frames' rows instead of gathering them; each lane still runs a
/// channel lane's operations, so its lines must equal the engine's frame-lane path bit for bit (and that path is
/// checked against the reference engine in <see cref="SimdFrameLaneTests"/>).
/// </summary>
public class SlidingFramesTests
{
    [Theory]
    [InlineData(16, 64, 0, 33)]
    [InlineData(16, 256, 3, 100)]
    [InlineData(16, 1024, 0, 513)]
    [InlineData(16, 4096, 3, 1022)]
    [InlineData(8, 256, 0, 129)]
    [InlineData(8, 4096, 3, 1022)]
    public void LinesEqualTheFrameLanePath(int lanes, int nfft, int firstBin, int binCount)
    {
        int hop = nfft / 4, frames = 2 * lanes + 3, p0 = lanes + 1;
        Assert.True(SlidingFrames.Applies(nfft, hop, lanes) || !Hardware(lanes));
        if (!Hardware(lanes)) return; // nothing to compare: the runner and the engine use the gathered block
        var random = new Random(nfft + lanes);
        var samples = new float[(frames - 1) * hop + nfft];
        for (int i = 0; i < samples.Length; i++)
            samples[i] = (float)(random.NextDouble() * 2 - 1 + 3 * Math.Sin(0.01 * i));

        var shape = new SpectrumShape(nfft, firstBin, binCount, 1);
        SimdSpectrumKernel kernel = new SimdSpectrogramEngine(FftPlanCache.Shared, (SimdWidth)lanes).CreateSimdSpectrum(shape, 3f);
        // The gathered block's path: batches one frame short of the lanes (a full batch would slide, as the engine's do).
        var expected = new float[frames * binCount];
        for (int f = 0; f < frames; f += lanes - 1)
        {
            int count = Math.Min(lanes - 1, frames - f);
            kernel.ComputeFrames(samples.AsSpan(f * hop), hop, count, expected.AsSpan(f * binCount, count * binCount));
        }

        var sliding = new SlidingFrames(FftPlanCache.Shared.Get(nfft), lanes, firstBin, binCount, 3f);
        var actual = new float[frames * binCount];
        sliding.Compute(samples, hop, p0, actual.AsSpan(p0 * binCount), binCount);
        for (int i = p0 * binCount; i < (p0 + lanes) * binCount; i++)
            Assert.True(expected[i] == actual[i], $"frame {i / binCount} bin {i % binCount}: {actual[i]} vs {expected[i]}");
        Assert.All(actual.AsSpan(0, p0 * binCount).ToArray(), v => Assert.Equal(0f, v)); // nothing written before the frames
    }

    [Theory]
    [InlineData(4096, 1000, 16)] // hop not N/4
    [InlineData(4096, 2048, 16)]
    [InlineData(2048, 512, 16)]  // N = 2 * 4^k: radix-4 first stages
    [InlineData(16, 4, 16)]      // hop not a multiple of the lanes
    [InlineData(256, 64, 4)]     // no lane shift for 4 lanes
    public void OtherShapesDoNotSlide(int nfft, int hop, int lanes) =>
        Assert.False(SlidingFrames.Applies(nfft, hop, lanes));

    [Fact]
    public void RejectsAHopThatDoesNotSlide()
    {
        var sliding = new SlidingFrames(FftPlanCache.Shared.Get(256), 8, 0, 129);
        Assert.Throws<ArgumentOutOfRangeException>(() => sliding.Compute(new float[4096], 100, 0, new float[8 * 129], 129));
    }

    [Fact]
    public void SteadyStateDoesNotAllocate()
    {
        int lanes = Vector512.IsHardwareAccelerated ? 16 : 8, nfft = 1024, hop = 256;
        if (!SlidingFrames.Applies(nfft, hop, lanes)) return;
        var sliding = new SlidingFrames(FftPlanCache.Shared.Get(nfft), lanes, 0, 513);
        var samples = new float[(lanes - 1) * hop + nfft];
        var lines = new float[lanes * 513];
        sliding.Compute(samples, hop, 0, lines, 513); // warm-up (JIT)
        Assert.Equal(0, SteadyStateAllocation.Least(() =>
        {
            for (int i = 0; i < 10; i++) sliding.Compute(samples, hop, 0, lines, 513);
        }));
    }

    private static bool Hardware(int lanes) =>
        lanes == 16 ? System.Runtime.Intrinsics.X86.Avx512F.IsSupported : System.Runtime.Intrinsics.X86.Avx2.IsSupported;
}
