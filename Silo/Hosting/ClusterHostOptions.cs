using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Focus.Grains.Hosting;

namespace Focus.Silo.Hosting;

/// <summary><c>Focus:Cluster</c> as the silo reads it: the shared keys, and how this silo is reached and what it calls itself.</summary>
public sealed class ClusterHostOptions : FocusClusterOptions
{
    public int SiloPort { get; set; } = 11111;

    /// <summary>Empty: host name + silo port.</summary>
    public string SiloName { get; set; } = "";

    /// <summary>Empty: 127.0.0.1 for localhost, the host's first non-loopback IPv4 for adonet.</summary>
    public string AdvertisedAddress { get; set; } = "";

    /// <summary>adonet: how long a liveness probe may take; a silo missing <see cref="MissedProbesLimit"/> in a row is suspected.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    public int MissedProbesLimit { get; set; } = 3;

    public string EffectiveSiloName => SiloName.Length > 0 ? SiloName : $"{Environment.MachineName}-{SiloPort}";

    public IPAddress EffectiveAdvertisedAddress =>
        AdvertisedAddress.Length > 0 ? IPAddress.Parse(AdvertisedAddress)
        : IsAdoNet ? FirstNonLoopbackIPv4() ?? IPAddress.Loopback
        : IPAddress.Loopback;

    public override IEnumerable<string> OwnKeyErrors()
    {
        if (SiloPort is < 1 or > 65535) yield return $"{Section}:SiloPort is {SiloPort}; use a port 1-65535.";
        if (SiloPort == GatewayPort) yield return $"{Section}:SiloPort and GatewayPort are both {SiloPort}; use two ports.";
        if (AdvertisedAddress.Length > 0 && !IPAddress.TryParse(AdvertisedAddress, out _))
            yield return $"{Section}:AdvertisedAddress is '{AdvertisedAddress}'; use an IP address.";
        if (ProbeTimeout < TimeSpan.FromMilliseconds(200) || ProbeTimeout > TimeSpan.FromMinutes(1))
            yield return $"{Section}:ProbeTimeout is {ProbeTimeout}; use 00:00:00.2 to 00:01:00.";
        if (MissedProbesLimit is < 1 or > 10) yield return $"{Section}:MissedProbesLimit is {MissedProbesLimit}; use 1-10.";
    }

    private static IPAddress? FirstNonLoopbackIPv4() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
}
