namespace Focus.Grains.Hosting;

/// <summary>The values of <c>Focus:Cluster:Kind</c> (configuration spells them in lower case).</summary>
public enum ClusterKind
{
    /// <summary>One silo on this host, in-memory state.</summary>
    Localhost,

    /// <summary>PostgreSQL membership, grain state and reminders.</summary>
    AdoNet,
}
