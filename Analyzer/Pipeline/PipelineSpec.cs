namespace Focus.Analyzer.Pipeline;

/// <summary>
/// Everything the data plane needs to run one job, derived by the control plane (CONTRACT §1).
/// Channels are 1-based inclusive. Spectral views keep bins FirstBin..FirstBin+BinCount-1 of an
/// Nfft-point FFT and emit one stream per channel (or one for SINGLECHANNEL); WATERFALL has
/// Nfft == Hop, BinCount == 0 and one stream holding every channel.
/// Line r covers samples [StartSampleIndex + r*Hop, StartSampleIndex + r*Hop + Nfft).
/// </summary>
public sealed record PipelineSpec
{
    public required string JobId { get; init; }
    public required bool IsWaterfall { get; init; }
    public required int ChannelMin { get; init; }
    public required int ChannelMax { get; init; }
    public required double Prr { get; init; }
    public required int Hop { get; init; }
    public required int Nfft { get; init; }
    public required int FirstBin { get; init; }
    public required int BinCount { get; init; }
    public required int StreamAmount { get; init; }
    /// <summary>Sample index (since the epoch at Prr) where line 0 starts: the job's start.</summary>
    public required long StartSampleIndex { get; init; }
    /// <summary>The <c>job_id</c> field of DataStream when the job id is an integer, else null.</summary>
    public int? NumericJobId { get; init; }
    /// <summary>Set for a historic job: the window and recordings every call plays from its start; null for live.</summary>
    public Historic.HistoricPlan? Historic { get; init; }

    public int ChannelAmount => ChannelMax - ChannelMin + 1;
    /// <summary>Values per line on the wire: bins, or channels for WATERFALL.</summary>
    public int ValuesPerLine => IsWaterfall ? ChannelAmount : BinCount;

    /// <summary>Channel-samples per second through the FFT in real time (WATERFALL reads each sample once).</summary>
    public double FftSamplesPerSecond => Grains.Jobs.FftLoad.SamplesPerSecond(IsWaterfall, ChannelAmount, Nfft, Prr, Hop);
}
