using Focus.IntegrationTests.Cluster;

namespace Focus.IntegrationTests.Observability;

/// <summary>
/// The scale-out deployment of <see cref="FocusCluster"/> (three silo processes on PostgreSQL, two gateway processes)
/// exporting its traces to an in-process <see cref="OtlpReceiver"/> through the standard OTLP variables.
/// </summary>
public sealed class TracedCluster : IAsyncLifetime
{
    public OtlpReceiver Receiver { get; private set; } = null!;

    public FocusCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Receiver = await OtlpReceiver.StartAsync();
        Cluster = new FocusCluster(
        [
            $"--OTEL_EXPORTER_OTLP_ENDPOINT={Receiver.Endpoint}",
            "--OTEL_BSP_SCHEDULE_DELAY=200", // export within a fraction of a second (default 5 s)
            "--Logging:LogLevel:Focus.Grains.Jobs=Information",
        ]);
        await Cluster.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}

/// <summary>Alone, like the cluster collection: five processes on a small machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TracedClusterCollection : ICollectionFixture<TracedCluster>
{
    public const string Name = "traced cluster";
}
