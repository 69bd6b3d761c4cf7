namespace Focus.Silo.Hosting;

/// <summary><c>Focus:Cluster</c>: how this silo finds its cluster and what it calls itself.</summary>
public sealed class ClusterHostOptions
{
    public const string Section = "Focus:Cluster";

    /// <summary><c>localhost</c> (single node, in-memory state) or <c>adonet</c> (PostgreSQL).</summary>
    public string Kind { get; set; } = "localhost";

    public string ConnectionString { get; set; } = "";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>Empty: host name + silo port.</summary>
    public string SiloName { get; set; } = "";

    /// <summary>Empty: 127.0.0.1 for localhost.</summary>
    public string AdvertisedAddress { get; set; } = "";

    public string ClusterId { get; set; } = "focus";

    public string ServiceId { get; set; } = "focus";

    public string EffectiveSiloName => SiloName.Length > 0 ? SiloName : $"{Environment.MachineName}-{SiloPort}";
}
