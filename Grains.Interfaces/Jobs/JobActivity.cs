namespace Focus.Grains.Jobs;

/// <summary>What the data plane last reported about a job's streams.</summary>
[GenerateSerializer, Immutable, Alias("Focus.JobActivity")]
public sealed record JobActivity
{
    [Id(0)] public int ConnectedClients { get; init; }
    [Id(1)] public long LinesEmitted { get; init; }
    [Id(2)] public long Gaps { get; init; }
    [Id(3)] public long DroppedLines { get; init; }
    [Id(4)] public DateTimeOffset? FirstLineAt { get; init; }
    [Id(5)] public DateTimeOffset? LastReadAt { get; init; }
    /// <summary>A fault of the pipeline; the job fails with it.</summary>
    [Id(6)] public string? Fault { get; init; }
    /// <summary>Historic: a call has played the window to its end (the job moves to completed).</summary>
    [Id(7)] public bool Completed { get; init; }

    public static JobActivity None { get; } = new();
}
