using Focus.Grains.Jobs;

namespace Focus.Grains.Analyzers;

[GenerateSerializer, Immutable, Alias("Focus.AnalyzerStartResult")]
public sealed record AnalyzerStartResult
{
    [Id(0)] public JobResources? Resources { get; init; }
    [Id(1)] public JobProblem? Problem { get; init; }
}
