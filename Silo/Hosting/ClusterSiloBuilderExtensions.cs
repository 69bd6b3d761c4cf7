using System.Net;
using Focus.Grains;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace Focus.Silo.Hosting;

/// <summary>The two ways a silo finds its cluster (<c>Focus:Cluster:Kind</c>).</summary>
internal static class ClusterSiloBuilderExtensions
{
    /// <summary>Single node, embedded: localhost clustering and in-memory state; nothing else to run.</summary>
    public static ISiloBuilder UseFocusLocalhostCluster(this ISiloBuilder silo, ClusterHostOptions cluster)
    {
        silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
        if (cluster.AdvertisedAddress.Length > 0)
            silo.Configure<EndpointOptions>(o => o.AdvertisedIPAddress = IPAddress.Parse(cluster.AdvertisedAddress));
        // Orleans' binary serializer, as in PostgreSQL (below): the provider's default JSON (Newtonsoft with type
        // names) cost about a third of the silo's CPU under a burst of /configure, rewriting the registry each time.
        silo.AddMemoryGrainStorage(FocusStorage.Jobs, options => options.Configure<Serializer>((o, serializer) =>
            o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer)));
        silo.UseInMemoryReminderService(); // the job Service sweeper's reminder (Focus:Streams:Exposure=kubernetes)
        return silo;
    }

    /// <summary>
    /// Scale-out: membership, grain state (jobs and the registry) and reminders in PostgreSQL; this silo's
    /// ports and advertised address from configuration, so several silos share a host; failure detection
    /// tuned so a killed silo is declared dead within a few seconds.
    /// </summary>
    public static ISiloBuilder UseFocusAdoNetCluster(this ISiloBuilder silo, ClusterHostOptions cluster)
    {
        const string invariant = "Npgsql";
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = cluster.ClusterId;
            o.ServiceId = cluster.ServiceId;
        });
        silo.ConfigureEndpoints(cluster.EffectiveAdvertisedAddress, cluster.SiloPort, cluster.GatewayPort);
        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = invariant;
            o.ConnectionString = cluster.ConnectionString;
        });
        // Orleans' binary serializer, not the provider's default JSON with .NET type names: state records
        // are [GenerateSerializer] types versioned by [Id], and collection expressions produce types JSON
        // cannot name back.
        silo.AddAdoNetGrainStorage(FocusStorage.Jobs, options => options.Configure<Serializer>((o, serializer) =>
        {
            o.Invariant = invariant;
            o.ConnectionString = cluster.ConnectionString;
            o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
            o.DeleteStateOnClear = true; // a forgotten job (Focus:Jobs:Retention) leaves no row behind
        }));
        // The default directory deactivates every activation whose directory entry lived on a silo that died
        // (a third of each survivor's analyzers with three silos): their jobs would fail with it. The
        // distributed directory recovers the lost partition from the survivors instead.
#pragma warning disable ORLEANSEXP003 // experimental in Orleans 10; see docs/DECISIONS.md
        silo.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = invariant;
            o.ConnectionString = cluster.ConnectionString;
        });
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = cluster.ProbeTimeout;
            o.NumMissedProbesLimit = cluster.MissedProbesLimit;
            o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(10);
        });
        silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = cluster.ResponseTimeout);
        return silo;
    }
}
