namespace Focus.Grains.Jobs;

/// <summary>
/// A parsed, type-checked /configure body (CONTRACT §1). Absent/null fields stay null here;
/// defaults are applied by <see cref="JobParametersDerivation"/> against the fiber metadata.
/// Times are UTC instants; <c>null</c> for both means live.
/// </summary>
[GenerateSerializer, Immutable, Alias("Focus.ConfigureRequest")]
public sealed record ConfigureRequest
{
    [Id(0)] public required ViewType ViewType { get; init; }
    [Id(1)] public required int Height { get; init; }
    [Id(2)] public required int ChannelMin { get; init; }
    [Id(3)] public required int ChannelMax { get; init; }
    [Id(4)] public int? NfftSelection { get; init; }
    [Id(5)] public double? DisplayTimeAxisDuration { get; init; }
    [Id(6)] public double? FrequencyMin { get; init; }
    [Id(7)] public double? FrequencyMax { get; init; }
    [Id(8)] public DateTimeOffset? StartTime { get; init; }
    [Id(9)] public DateTimeOffset? EndTime { get; init; }

    public bool IsHistoric => StartTime is not null;
}
