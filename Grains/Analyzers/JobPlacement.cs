namespace Focus.Grains.Analyzers;

/// <summary>The values of <c>Focus:Cluster:Placement</c> (configuration spells them in lower case).</summary>
public enum JobPlacement
{
    /// <summary>The registry's load-balanced choice of silo.</summary>
    Balanced,

    /// <summary>Orleans' default placement, for comparison.</summary>
    Orleans,
}
