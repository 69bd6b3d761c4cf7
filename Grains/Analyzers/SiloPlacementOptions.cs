namespace Focus.Grains.Analyzers;

/// <summary>
/// <c>Focus:Cluster</c> keys that decide where a job's analyzer runs: the registry's load-balanced
/// choice (<c>balanced</c>, default) or Orleans' default placement (<c>orleans</c>, for comparison),
/// and how many jobs one silo may hold.
/// </summary>
public sealed class SiloPlacementOptions
{
    public const string Section = "Focus:Cluster";
    public JobPlacement Placement { get; set; } = JobPlacement.Balanced;

    /// <summary>Active jobs one silo may hold; 0: no limit of its own (only <c>Focus:Jobs:MaxConcurrent</c>).</summary>
    public int MaxJobsPerSilo { get; set; }
}
