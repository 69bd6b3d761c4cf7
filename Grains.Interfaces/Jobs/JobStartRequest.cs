namespace Focus.Grains.Jobs;

/// <summary>
/// What the registry hands a new job: the request, the caller's correlation id, when the registry
/// placed it the silo its analyzer must run on, and who asked.
/// </summary>
[GenerateSerializer, Immutable, Alias("Focus.JobStartRequest")]
public sealed record JobStartRequest(
    [property: Id(0)] ConfigureRequest Request,
    [property: Id(1)] string? CorrelationId,
    [property: Id(2)] SiloAddress? Silo = null,
    [property: Id(3)] JobCaller? Caller = null);
