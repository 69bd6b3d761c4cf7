using Focus.Grains.Jobs;

namespace Focus.Grains.Analyzers;

/// <summary>What a worker needs to run a job: its derived parameters and where line 0 starts.</summary>
[GenerateSerializer, Immutable, Alias("Focus.AnalyzerAssignment")]
public sealed record AnalyzerAssignment(
    [property: Id(0)] string JobId,
    [property: Id(1)] JobParameters Parameters,
    [property: Id(2)] DateTimeOffset StartsAt);
