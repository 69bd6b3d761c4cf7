using Focus.Grains.Jobs;

namespace Focus.Grains.Analyzers;

/// <summary>
/// What a job costs while read, from its derived parameters alone (so admission can judge it before anything
/// starts): lines per second per stream, channel-samples per second through the FFT (channels × internal_nfft ×
/// lines/s; WATERFALL: channels × prr, its samples are read once), output bytes per second (streams × values a line
/// × 4 × lines/s), and memory (input window of every channel plus each stream's reader buffer). <see cref="CpuCores"/>
/// is the rough estimate /metadata shows: ~5 N log2 N flops per channel-line on ~2 GFLOP/s per core.
/// </summary>
public sealed record JobCost(double LinesPerSecond, double FftSamplesPerSecond, double OutputBytesPerSecond, long MemoryBytes, double CpuCores)
{
    private const double FlopsPerCore = 2e9;
    private const int ReaderBufferMessages = 64;

    public static JobCost Of(JobParameters p)
    {
        var linesPerSecond = p.Prr / p.Hop;
        var waterfall = p.ViewType == ViewType.Waterfall;
        var valuesPerLine = waterfall ? p.ChannelAmount : (double)p.FrequenciesAmount * p.StreamAmount;
        var fftSamples = FftLoad.SamplesPerSecond(waterfall, p.ChannelAmount, p.InternalNfft, p.Prr, p.Hop);
        var outputBytes = valuesPerLine * sizeof(float) * linesPerSecond;
        return new JobCost(linesPerSecond, fftSamples, outputBytes, Memory(p), Cpu(p, linesPerSecond));
    }

    private static long Memory(JobParameters p)
    {
        long samples = ((long)p.InternalNfft + 2L * p.Hop) * p.ChannelAmount;
        long lineValues = p.ViewType == ViewType.Waterfall ? p.ChannelAmount : (long)p.FrequenciesAmount * p.ChannelAmount;
        return (samples + lineValues * ReaderBufferMessages) * sizeof(float) + 64 * 1024;
    }

    private static double Cpu(JobParameters p, double linesPerSecond)
    {
        var flopsPerLine = p.ViewType == ViewType.Waterfall
            ? 2.0 * p.Hop * p.ChannelAmount
            : 5.0 * p.InternalNfft * Math.Log2(p.InternalNfft) * p.ChannelAmount;
        return Math.Round(linesPerSecond * flopsPerLine / FlopsPerCore, 4);
    }
}
