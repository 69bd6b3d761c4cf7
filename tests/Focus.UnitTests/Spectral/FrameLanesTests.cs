using Focus.Analyzer.Spectral.Kernels;

namespace Focus.UnitTests.Spectral;

/// <summary>
/// <see cref="FrameLanes.Gather"/> against the definition: lane l of row n holds sample n of pair p0 + l. Covers the
/// one-channel paths (sliding rows for overlapping frames at a hop that is a multiple of the lanes, tile transposes
/// otherwise) and the general copies.
/// </summary>
public class FrameLanesTests
{
    [Theory]
    [InlineData(16, 4096, 1024)]
    [InlineData(16, 1024, 256)]
    [InlineData(16, 256, 16)]
    [InlineData(16, 256, 240)]
    [InlineData(16, 256, 100)]
    [InlineData(16, 256, 256)]
    [InlineData(16, 256, 512)]
    [InlineData(8, 4096, 1024)]
    [InlineData(8, 256, 8)]
    [InlineData(8, 256, 72)]
    [InlineData(8, 256, 100)]
    [InlineData(4, 256, 64)]
    public void OneChannelBlocksHoldEveryFramesSamples(int lanes, int nfft, int hop)
    {
        int p0 = 3;
        float[] samples = Samples((p0 + lanes - 1) * hop + nfft + 5);
        var block = new float[nfft * lanes + lanes];
        FrameLanes.Gather(samples, 1, hop, nfft, p0, lanes, lanes, block);
        for (int n = 0; n < nfft; n++)
            for (int l = 0; l < lanes; l++)
                Assert.True(samples[(p0 + l) * hop + n] == block[n * lanes + l], $"row {n} lane {l}: {block[n * lanes + l]} vs {samples[(p0 + l) * hop + n]}");
    }

    [Theory]
    [InlineData(16, 1, 5)]
    [InlineData(16, 2, 8)]
    [InlineData(16, 3, 16)]
    [InlineData(8, 5, 7)]
    public void PartialAndMultiChannelBlocksHoldTheirPairs(int lanes, int channels, int valid)
    {
        int nfft = 64, hop = 16, p0 = 2;
        int frames = (p0 + valid) / channels + 1;
        float[] samples = Samples(((frames - 1) * hop + nfft) * channels);
        var block = new float[nfft * lanes + lanes];
        FrameLanes.Gather(samples, channels, hop, nfft, p0, valid, lanes, block);
        for (int n = 0; n < nfft; n++)
            for (int l = 0; l < valid; l++)
            {
                int p = p0 + l, f = p / channels, c = p % channels;
                Assert.Equal(samples[(f * hop + n) * channels + c], block[n * lanes + l]);
            }
    }

    private static float[] Samples(int count)
    {
        var random = new Random(count);
        var x = new float[count];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(random.NextDouble() * 2 - 1);
        return x;
    }
}
