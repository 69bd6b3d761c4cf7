using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Focus.Silo.Hosting;

/// <summary><c>Focus:Cluster</c>: how this silo finds its cluster and what it calls itself.</summary>
public sealed class ClusterHostOptions
{
    public const string Section = "Focus:Cluster";
    public const string Localhost = "localhost";
    public const string AdoNet = "adonet";

    /// <summary><c>localhost</c> (single node, in-memory state) or <c>adonet</c> (PostgreSQL).</summary>
    public string Kind { get; set; } = Localhost;

    /// <summary>PostgreSQL (Npgsql) for <c>adonet</c>: membership, grain state, reminders.</summary>
    public string ConnectionString { get; set; } = "";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>Empty: host name + silo port.</summary>
    public string SiloName { get; set; } = "";

    /// <summary>Empty: 127.0.0.1 for localhost, the host's first non-loopback IPv4 for adonet.</summary>
    public string AdvertisedAddress { get; set; } = "";

    public string ClusterId { get; set; } = "focus";

    public string ServiceId { get; set; } = "focus";

    /// <summary>adonet: how long a liveness probe may take; a silo missing <see cref="MissedProbesLimit"/> in a row is suspected.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    public int MissedProbesLimit { get; set; } = 3;

    /// <summary>adonet: a grain call unanswered this long fails (the gateway's 503), so no request waits on a dead silo.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool IsAdoNet => Kind == AdoNet;

    public string EffectiveSiloName => SiloName.Length > 0 ? SiloName : $"{Environment.MachineName}-{SiloPort}";

    public IPAddress EffectiveAdvertisedAddress =>
        AdvertisedAddress.Length > 0 ? IPAddress.Parse(AdvertisedAddress)
        : IsAdoNet ? FirstNonLoopbackIPv4() ?? IPAddress.Loopback
        : IPAddress.Loopback;

    private static IPAddress? FirstNonLoopbackIPv4() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
}
