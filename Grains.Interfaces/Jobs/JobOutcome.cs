namespace Focus.Grains.Jobs;

/// <summary>The answer to a create: the running job, or why there is none.</summary>
[GenerateSerializer, Immutable, Alias("Focus.JobOutcome")]
public sealed record JobOutcome
{
    [Id(0)] public JobStatus? Job { get; init; }
    [Id(1)] public JobProblem? Problem { get; init; }

    public bool Succeeded => Job is not null;

    public static JobOutcome Success(JobStatus job) => new() { Job = job };
    public static JobOutcome Failure(JobProblem problem) => new() { Problem = problem };
}
