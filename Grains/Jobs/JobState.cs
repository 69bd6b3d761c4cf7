namespace Focus.Grains.Jobs;

/// <summary>The persisted record of a job; null <see cref="Status"/> means the id was never issued.</summary>
[GenerateSerializer, Alias("Focus.JobState")]
public sealed record JobState
{
    [Id(0)] public JobStatus? Status { get; init; }
}
