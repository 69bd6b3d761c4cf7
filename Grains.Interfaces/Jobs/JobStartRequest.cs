namespace Focus.Grains.Jobs;

[GenerateSerializer, Immutable, Alias("Focus.JobStartRequest")]
public sealed record JobStartRequest(
    [property: Id(0)] ConfigureRequest Request,
    [property: Id(1)] string? CorrelationId);
