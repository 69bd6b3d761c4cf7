namespace Focus.Grains.Hosting;

/// <summary>
/// <c>Focus:Cluster</c>: which cluster a process joins, the keys the silo and the standalone gateway read alike, so
/// one configuration serves both. Each reader's type adds its own keys and their checks (<see cref="OwnKeyErrors"/>);
/// <see cref="FocusClusterOptionsValidator{TOptions}"/> checks them all. (The grains' placement keys of the same section
/// are <c>SiloPlacementOptions</c>: none of these.)
/// </summary>
public abstract class FocusClusterOptions
{
    public const string Section = "Focus:Cluster";

    /// <summary><c>localhost</c> (one silo on this host, in-memory state) or <c>adonet</c> (PostgreSQL).</summary>
    public ClusterKind Kind { get; set; } = ClusterKind.Localhost;

    /// <summary>PostgreSQL (Npgsql) for <c>adonet</c>: membership, grain state, reminders. Holds a password: never logged.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>The silo's Orleans gateway port (localhost: the one a standalone gateway connects to).</summary>
    public int GatewayPort { get; set; } = 30000;

    public string ClusterId { get; set; } = "focus";

    public string ServiceId { get; set; } = "focus";

    /// <summary>A grain call unanswered this long fails (the gateway's 503), so no request waits on a dead silo.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool IsAdoNet => Kind == ClusterKind.AdoNet;

    /// <summary>The reader's own keys that are wrong, each named with <see cref="Section"/>.</summary>
    public virtual IEnumerable<string> OwnKeyErrors() => [];
}
