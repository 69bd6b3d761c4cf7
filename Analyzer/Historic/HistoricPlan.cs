namespace Focus.Analyzer.Historic;

/// <summary>
/// What a historic job plays (on <see cref="Pipeline.PipelineSpec.Historic"/>): lines whose frames start at samples
/// [<see cref="FirstSample"/>, <see cref="EndSample"/>) of the epoch grid at the job's prr, from <see cref="Files"/>
/// (absolute paths of the recordings the catalog listed, in start order). A frame near the end reads past
/// <see cref="EndSample"/> when the recordings go on. A file that is missing or unreadable is a hole; storage whose
/// <see cref="StorageRoot"/> is gone fails the job.
/// </summary>
public sealed record HistoricPlan
{
    public required long FirstSample { get; init; }
    public required long EndSample { get; init; }
    public required IReadOnlyList<string> Files { get; init; }
    public string? StorageRoot { get; init; }
}
