using Focus.Grains.Jobs;
using Focus.Grains.Recordings;

namespace Focus.Grains.Analyzers;

/// <summary>What a worker needs to run a job: its derived parameters and where line 0 starts (live), or the window and recordings to play (historic).</summary>
[GenerateSerializer, Immutable, Alias("Focus.AnalyzerAssignment")]
public sealed record AnalyzerAssignment(
    [property: Id(0)] string JobId,
    [property: Id(1)] JobParameters Parameters,
    [property: Id(2)] DateTimeOffset StartsAt,
    [property: Id(3)] HistoricAssignment? Historic = null);
