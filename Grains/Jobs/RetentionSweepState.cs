namespace Focus.Grains.Jobs;

/// <summary>The record of one retention slice (state "retention"): the ended jobs it still has to forget.</summary>
[GenerateSerializer, Immutable, Alias("Focus.RetentionSweepState")]
public sealed record RetentionSweepState
{
    [Id(0)] public IReadOnlyList<string> JobIds { get; init; } = [];
}
