namespace Focus.Grains.Jobs;

/// <summary>One row of the operator listing (GET /jobs).</summary>
[GenerateSerializer, Immutable, Alias("Focus.JobSummary")]
public sealed record JobSummary
{
    [Id(0)] public required string JobId { get; init; }
    [Id(1)] public required JobPhase Phase { get; init; }
    [Id(2)] public required string Mode { get; init; }
    [Id(3)] public required DateTimeOffset CreatedAt { get; init; }
    [Id(4)] public string? Silo { get; init; }
    [Id(5)] public int? StreamPort { get; init; }
    [Id(6)] public JobCaller? Caller { get; init; }

    public static JobSummary From(JobStatus job) => new()
    {
        JobId = job.JobId,
        Phase = job.Phase,
        Mode = job.Mode,
        CreatedAt = job.CreatedAt,
        Silo = job.Resources?.Silo,
        StreamPort = job.Resources?.StreamPort,
        Caller = job.Caller,
    };
}
