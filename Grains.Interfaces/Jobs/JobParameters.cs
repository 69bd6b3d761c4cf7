namespace Focus.Grains.Jobs;

/// <summary>
/// The parameters derived from a request and the fiber (CONTRACT §1 "Derivation"): what the
/// analyzer computes and what /configure answers. Frequencies are the kept bins
/// <c>FirstBin .. FirstBin + FrequenciesAmount - 1</c> of an <c>InternalNfft</c>-point FFT.
/// </summary>
[GenerateSerializer, Immutable, Alias("Focus.JobParameters")]
public sealed record JobParameters
{
    [Id(0)] public required ViewType ViewType { get; init; }
    [Id(1)] public required int ChannelMin { get; init; }
    [Id(2)] public required int ChannelMax { get; init; }
    [Id(3)] public required double Prr { get; init; }
    /// <summary>Samples between two output lines.</summary>
    [Id(4)] public required int Hop { get; init; }
    /// <summary>Seconds between two output lines: Hop / Prr.</summary>
    [Id(5)] public required double LinesDt { get; init; }
    /// <summary>FFT length (spectral views) or samples behind one line (WATERFALL).</summary>
    [Id(6)] public required int InternalNfft { get; init; }
    [Id(7)] public required int FirstBin { get; init; }
    // Id 8 held the whole frequency list: derivable, and up to 32,769 doubles in every stored job. Not reused.
    [Id(11)] public required int FrequenciesAmount { get; init; }
    [Id(9)] public required int StreamAmount { get; init; }
    /// <summary>Requested display height (lines on the axis), kept for operators.</summary>
    [Id(10)] public required int Height { get; init; }

    public int ChannelAmount => ChannelMax - ChannelMin + 1;

    /// <summary>
    /// <c>frequencies_list</c>: bin k at <c>k * prr / internal_nfft</c> for the kept bins, computed when read (the same
    /// expression as the derivation, so the same doubles) rather than stored with the job.
    /// </summary>
    public IReadOnlyList<double> Frequencies() => new FrequencyList(FirstBin, FrequenciesAmount, Prr, InternalNfft);
}
