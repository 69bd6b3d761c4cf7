namespace Focus.Grains.Jobs;

/// <summary>The persisted record of a job; null <see cref="Status"/> means the id was never issued.</summary>
[GenerateSerializer, Alias("Focus.JobState")]
public sealed record JobState
{
    [Id(0)] public JobStatus? Status { get; init; }
    /// <summary>A completed historic job whose stream still serves replays (until idle); its analyzer holds a port.</summary>
    [Id(1)] public bool Serving { get; init; }
}
