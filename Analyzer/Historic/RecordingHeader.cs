namespace Focus.Analyzer.Historic;

/// <summary>The sample type of a recording's <c>RawData</c>.</summary>
public enum RawSampleType
{
    Int16,
    Float32,
}

/// <summary>
/// What a PRODML recording holds (CONTRACT §4): <see cref="SampleCount"/> rows of <see cref="Channels"/> loci
/// at <see cref="Prr"/>, the first at <see cref="Start"/> (from <c>RawDataTime</c>, not the attributes). It spans
/// [first sample, last sample + 1/prr). Channel c (1-based) is column c - 1 whatever <see cref="StartLocusIndex"/> says.
/// </summary>
public sealed record RecordingHeader
{
    public required string Path { get; init; }
    public required string SchemaVersion { get; init; }
    public string? Vendor { get; init; }
    public required DateTimeOffset Start { get; init; }
    public required double Prr { get; init; }
    public required int Channels { get; init; }
    public required long SampleCount { get; init; }
    /// <summary>Metres between two loci (<c>SpatialSamplingInterval</c>).</summary>
    public required double Dx { get; init; }
    public required long StartLocusIndex { get; init; }
    public required RawSampleType SampleType { get; init; }
    /// <summary><c>PartStartTime</c>/<c>PartEndTime</c> as the file states them (vendors get them wrong; informative only).</summary>
    public DateTimeOffset? PartStartTime { get; init; }
    public DateTimeOffset? PartEndTime { get; init; }

    /// <summary>The instant after the last sample: <c>Start + SampleCount / Prr</c>.</summary>
    public DateTimeOffset End => Start + TimeSpan.FromTicks((long)Math.Round(SampleCount * TimeSpan.TicksPerSecond / Prr));
}
