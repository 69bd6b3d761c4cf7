using Focus.Grains.Fiber;

namespace Focus.Grains.Jobs;

/// <summary>
/// Everything known about one job: what /configure answered plus its lifecycle, resources and
/// activity (/metadata/{job_id}). Plain data; the gateway shapes it into JSON.
/// </summary>
[GenerateSerializer, Immutable, Alias("Focus.JobStatus")]
public sealed record JobStatus
{
    [Id(0)] public required string JobId { get; init; }
    [Id(1)] public required JobPhase Phase { get; init; }
    [Id(2)] public required ConfigureRequest Request { get; init; }
    [Id(3)] public required DateTimeOffset CreatedAt { get; init; }
    [Id(4)] public required IReadOnlyList<JobPhaseChange> PhaseChanges { get; init; }
    [Id(5)] public JobParameters? Parameters { get; init; }
    /// <summary>The fiber (live) or recordings (historic) the parameters were derived from.</summary>
    [Id(6)] public FiberMetadata? Fiber { get; init; }
    [Id(7)] public JobResources? Resources { get; init; }
    [Id(8)] public JobActivity Activity { get; init; } = JobActivity.None;
    [Id(9)] public string? FailureReason { get; init; }
    [Id(10)] public string? CorrelationId { get; init; }
    /// <summary>Who created the job (quota key and owner); null for jobs created before callers were recorded.</summary>
    [Id(11)] public JobCaller? Caller { get; init; }
    /// <summary>The W3C <c>traceparent</c> of the job's start span (or of the /configure that made it): its end joins that trace.</summary>
    [Id(12)] public string? TraceParent { get; init; }

    public string Mode => Request.IsHistoric ? "historic" : "live";
}
