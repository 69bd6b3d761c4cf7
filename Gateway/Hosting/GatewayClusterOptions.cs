using Focus.Grains.Hosting;

namespace Focus.Gateway.Hosting;

/// <summary><c>Focus:Cluster</c> as the standalone gateway reads it: which cluster to join as a client.</summary>
public sealed class GatewayClusterOptions : FocusClusterOptions
{
    /// <summary>How often the client re-reads the silos it may connect to (new and restarted silos).</summary>
    public TimeSpan GatewayListRefreshPeriod { get; set; } = TimeSpan.FromSeconds(5);

    public override IEnumerable<string> OwnKeyErrors()
    {
        if (GatewayListRefreshPeriod < TimeSpan.FromSeconds(1))
            yield return $"{Section}:GatewayListRefreshPeriod is {GatewayListRefreshPeriod}; use at least 00:00:01.";
    }
}
