namespace Focus.Analyzer.Historic;

/// <summary>The sample type a recording stores (PRODML's <c>RawData</c>, a SEG-Y data sample format, a vendor's dataset).</summary>
public enum RawSampleType
{
    Int16,
    Float32,
    Int8,
    Int32,
    /// <summary>IBM System/360 single precision (SEG-Y format 1).</summary>
    IbmFloat32,
    Float64,
}

/// <summary>
/// What a recording holds (CONTRACT §4): <see cref="SampleCount"/> rows of <see cref="Channels"/> loci at
/// <see cref="Prr"/>, the first at <see cref="Start"/> (the file's own clock: PRODML's <c>RawDataTime</c>, not the
/// attributes; SEG-Y's trace headers; Terra15's <c>gps_time</c>). It spans [first sample, last sample + 1/prr). Channel c
/// (1-based) is the c-th stored channel (PRODML column c - 1, SEG-Y trace c of a record) whatever
/// <see cref="StartLocusIndex"/> says.
/// </summary>
public sealed record RecordingHeader
{
    public required string Path { get; init; }
    /// <summary>The file's format: <c>PRODML</c>, <c>SEG-Y</c>, <c>Terra15</c> or <c>Silixa</c>.</summary>
    public string Format { get; init; } = "PRODML";
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
