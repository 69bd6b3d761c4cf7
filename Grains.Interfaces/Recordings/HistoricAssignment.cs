namespace Focus.Grains.Recordings;

/// <summary>
/// What a worker plays for a historic job: the window [Start, End) and the absolute paths of the recordings the
/// catalog listed for it (start order), under <see cref="StorageRoot"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("Focus.HistoricAssignment")]
public sealed record HistoricAssignment
{
    [Id(0)] public required DateTimeOffset Start { get; init; }
    [Id(1)] public required DateTimeOffset End { get; init; }
    [Id(2)] public required IReadOnlyList<string> Files { get; init; }
    [Id(3)] public string? StorageRoot { get; init; }
}
