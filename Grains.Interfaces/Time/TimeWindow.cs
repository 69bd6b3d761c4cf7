using Focus.Grains.Jobs;

namespace Focus.Grains.Time;

/// <summary>A historic window [Start, End] in UTC: End after Start, at most 24 h long (CONTRACT §1).</summary>
[GenerateSerializer, Immutable, Alias("Focus.TimeWindow")]
public sealed record TimeWindow
{
    public const string StartField = "start_time";
    public const string EndField = "end_time";

    [Id(0)] public required DateTimeOffset Start { get; init; }
    [Id(1)] public required DateTimeOffset End { get; init; }

    public TimeSpan Length => End - Start;

    public static TimeSpan MaxLength => ConfigureLimits.MaxHistoricWindow;

    /// <summary>The rules between two valid times, keyed by <c>end_time</c>.</summary>
    internal static void Check(DateTimeOffset start, DateTimeOffset end, FieldErrors errors)
    {
        if (end <= start)
            errors.AddInvalid(EndField, JsonScalars.Show(end), $"after start_time ({JsonScalars.Show(start)})");
        else if (end - start > MaxLength)
            errors.AddInvalid(EndField, JsonScalars.Show(end),
                $"at most {MaxLength.TotalHours:0} h after start_time ({JsonScalars.Show(start)})");
    }

    /// <summary>
    /// The rule for an optional start/end pair: both or neither, then <see cref="Check"/>. A time already
    /// reported as invalid still counts as given, so a broken start_time and no end_time are two errors.
    /// </summary>
    internal static void CheckPair(DateTimeOffset? start, DateTimeOffset? end, FieldErrors errors)
    {
        var startGiven = start is not null || errors.Contains(StartField);
        var endGiven = end is not null || errors.Contains(EndField);
        if (startGiven && !endGiven)
            errors.Add(EndField, $"{EndField}: is required when start_time is set (historic job), must be {RequestTime.Rule}");
        else if (endGiven && !startGiven)
            errors.Add(StartField, $"{StartField}: is required when end_time is set (historic job), must be {RequestTime.Rule}");
        else if (start is { } s && end is { } e)
            Check(s, e, errors);
    }
}
