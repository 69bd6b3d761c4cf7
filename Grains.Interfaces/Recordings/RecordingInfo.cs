namespace Focus.Grains.Recordings;

/// <summary>
/// One recording as a catalog lists it (CONTRACT §4): the file, its span [Start, End) with End null while it is
/// still being written, and what historic validation needs (prr, channel count; 0 when the catalog does not
/// know them and the file could not be read).
/// </summary>
[GenerateSerializer, Immutable, Alias("Focus.RecordingInfo")]
public sealed record RecordingInfo
{
    [Id(0)] public required string Id { get; init; }
    /// <summary>Where the file is: absolute, or relative to <c>Focus:Storage:MountPath</c>.</summary>
    [Id(1)] public required string Path { get; init; }
    [Id(2)] public required DateTimeOffset Start { get; init; }
    [Id(3)] public DateTimeOffset? End { get; init; }
    [Id(4)] public double Prr { get; init; }
    [Id(5)] public int Channels { get; init; }
    [Id(6)] public double Dx { get; init; }

    public bool IsRecording => End is null;

    public bool IsDescribed => Prr > 0 && Channels > 0;

    /// <summary>CONTRACT §4: [s, e) overlaps [start, end] when s &lt; end and e &gt; start, or when still recording and s &lt; end.</summary>
    public bool Overlaps(DateTimeOffset start, DateTimeOffset end) => Start < end && (End is null || End > start);

    /// <summary>The /recordings_in_time_range pair: start floored, end ceiled to the second, -1 while recording.</summary>
    public long[] ToEpochSpan()
    {
        var start = (long)Math.Floor((Start - DateTimeOffset.UnixEpoch).TotalSeconds);
        var end = End is { } e ? (long)Math.Ceiling((e - DateTimeOffset.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond) : -1;
        return [start, end];
    }
}
