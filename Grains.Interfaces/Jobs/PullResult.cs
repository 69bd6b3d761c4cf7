namespace Focus.Grains.Jobs;

/// <summary>The answer to one pull of a job's lines (CONTRACT §1, GET /waterfall/{job_id}/{row_count}).</summary>
[GenerateSerializer, Immutable, Alias("Focus.PullResult")]
public sealed record PullResult
{
    [Id(0)] public required PullState State { get; init; }
    /// <summary>Oldest first; set for <see cref="PullState.Lines"/>.</summary>
    [Id(1)] public IReadOnlyList<PulledRow> Rows { get; init; } = [];

    public static PullResult Empty { get; } = new() { State = PullState.Empty };

    public static PullResult Ended { get; } = new() { State = PullState.Ended };
}
