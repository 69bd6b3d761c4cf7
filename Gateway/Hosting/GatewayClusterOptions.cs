namespace Focus.Gateway.Hosting;

/// <summary>
/// <c>Focus:Cluster</c> as the standalone gateway reads it: which cluster to join as a client. The same
/// keys the silos read, so one configuration serves both.
/// </summary>
public sealed class GatewayClusterOptions
{
    public const string Section = "Focus:Cluster";

    /// <summary><c>localhost</c> (one silo on this host, its gateway port) or <c>adonet</c> (PostgreSQL membership).</summary>
    public string Kind { get; set; } = "localhost";

    public string ConnectionString { get; set; } = "";

    /// <summary>localhost: the silo's Orleans gateway port.</summary>
    public int GatewayPort { get; set; } = 30000;

    public string ClusterId { get; set; } = "focus";

    public string ServiceId { get; set; } = "focus";

    /// <summary>A grain call unanswered this long fails, and the request answers 503: nothing waits on a dead silo.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the client re-reads the silos it may connect to (new and restarted silos).</summary>
    public TimeSpan GatewayListRefreshPeriod { get; set; } = TimeSpan.FromSeconds(5);
}
