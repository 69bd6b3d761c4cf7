using Focus.Analyzer.Hosting;
using Focus.Analyzer.Sources;
using Focus.Analyzer.Sources.RabbitMq;
using Focus.Analyzer.Sources.Simulated;
using Focus.Analyzer.Streaming;
using Focus.Gateway.Apis;
using Focus.Gateway.Management;
using Focus.Gateway.Metrics;
using Focus.Grains;
using Focus.Grains.Hosting;
using Focus.Grains.Jobs;
using Focus.Grains.Recordings;
using Focus.Silo.Health;
using Focus.Silo.Live;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace Focus.Silo.Hosting;

/// <summary>The silo's wiring: Orleans, the grains, the in-process analyzer and the live source.</summary>
public static class FocusSiloHostingExtensions
{
    public static WebApplicationBuilder AddFocusSilo(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var services = builder.Services;

        services.AddValidatedOptions<ClusterHostOptions, FocusClusterOptionsValidator<ClusterHostOptions>>(configuration.GetSection(ClusterHostOptions.Section));
        services.AddValidatedOptions<DashboardPathOptions, DashboardPathOptionsValidator>(configuration.GetSection(DashboardPathOptions.Section));

        var cluster = ConfigEnum.GetOrDefaults<ClusterHostOptions>(configuration.GetSection(ClusterHostOptions.Section));
        // Before the silo starts: an adonet database without the schema stops the process with a clear message.
        if (cluster.IsAdoNet) services.AddHostedService<ClusterSchemaCheck>();
        builder.UseOrleans(silo =>
        {
            if (cluster.IsAdoNet) silo.UseFocusAdoNetCluster(cluster);
            else silo.UseFocusLocalhostCluster(cluster);
            silo.Configure<SiloOptions>(o => o.SiloName = cluster.EffectiveSiloName);
            silo.AddDashboard();
            silo.AddActivityPropagation(); // grain calls carry the W3C trace context (spans only while traces are exported)
            silo.Services.AddStoreExceptionSerialization();
            silo.AddFocusGrains(configuration);
        });

        services.AddFocusAnalyzer(configuration);
        services.AddFocusRecordings(configuration); // historic storage (Focus:Storage, default a generated sample) and its catalog
        services.AddHealthChecks().AddCheck<CatalogHealthCheck>("catalog", tags: [OperationsApi.ReadyTag]);
        services.AddFocusLiveSource(configuration);
        // The contract's metrics are in the first scrape, at 0 (focus_queue_dropped_total whatever the live source).
        services.TryAddSingleton<LiveInstruments>();
        services.AddMetricsAtStart<JobInstruments>().AddMetricsAtStart<StreamInstruments>().AddMetricsAtStart<LiveInstruments>();
        if (ConfigEnum.GetOrDefaults<LiveOptions>(configuration.GetSection(LiveOptions.Section)).Source == LiveSource.RabbitMq)
            services.AddRabbitMqLiveInput();
        else
            services.AddHostedService<SimulatorMetadataPublisher>();
        return builder;
    }

    public static WebApplication MapFocusDashboard(this WebApplication app)
    {
        var path = app.Services.GetRequiredService<IOptions<DashboardPathOptions>>().Value.Path;
        app.MapOrleansDashboard(routePrefix: path).AsManagement(); // grain state and logs: operators only
        return app;
    }
}
