using Focus.Grains.Jobs;

namespace Focus.Grains.Analyzers;

/// <summary>
/// What a job is expected to cost while read, for /metadata and placement. Rough by design: the
/// buffers it holds, and FFT work at ~5 N log2 N flops per channel-line on ~2 GFLOP/s per core.
/// </summary>
internal static class JobCost
{
    private const double FlopsPerCore = 2e9;
    private const int ReaderBufferMessages = 64;

    public static long MemoryBytes(JobParameters p)
    {
        long samples = (long)(p.InternalNfft + 2 * p.Hop) * p.ChannelAmount;
        long lineValues = p.ViewType == ViewType.Waterfall ? p.ChannelAmount : (long)p.FrequenciesAmount * p.ChannelAmount;
        return (samples + lineValues * ReaderBufferMessages) * sizeof(float) + 64 * 1024;
    }

    public static double CpuCores(JobParameters p)
    {
        var linesPerSecond = p.Prr / p.Hop;
        var flopsPerLine = p.ViewType == ViewType.Waterfall
            ? 2.0 * p.Hop * p.ChannelAmount
            : 5.0 * p.InternalNfft * Math.Log2(p.InternalNfft) * p.ChannelAmount;
        return Math.Round(linesPerSecond * flopsPerLine / FlopsPerCore, 4);
    }
}
