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

    /// <summary>The rule for a start/end pair: both or neither. Skips a field already reported.</summary>
    internal static void CheckPair(DateTimeOffset? start, DateTimeOffset? end, FieldErrors errors)
    {
        if (errors.Contains(StartField) || errors.Contains(EndField)) return;
        switch (start, end)
        {
            case ({ } s, { } e):
                Check(s, e, errors);
                break;
            case (null, { }):
                errors.Add(StartField, $"{StartField}: is required when end_time is set (historic job), must be {RequestTime.Rule}");
                break;
            case ({ }, null):
                errors.Add(EndField, $"{EndField}: is required when start_time is set (historic job), must be {RequestTime.Rule}");
                break;
        }
    }
}
