using System.Net;
using Focus.Analyzer.Streaming;
using Focus.Grains.Admission;
using Focus.Grains.Analyzers;
using Focus.Grains.Exposure;
using Focus.Grains.Fiber;
using Focus.Grains.Jobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Focus.Grains.Hosting;

public static class GrainsSiloBuilderExtensions
{
    /// <summary>
    /// Grain addresses a silo caches (Orleans' default is 1,000,000, ~250 B each): ten times the grains of a cluster at
    /// its job limit (a job grain and its worker for each of 200 jobs, the registry, the retention slices).
    /// </summary>
    public const int DirectoryCacheSize = 4_096;

    /// <summary>
    /// The job grains' services and options (<c>Focus:Jobs</c>, <c>Focus:Waterfall</c>, placement keys of
    /// <c>Focus:Cluster</c>), this host's stream-port pool, and the silo's part in placement: its drain
    /// on shutdown and the watch for lost silos, and how streams are exposed (<c>Focus:Streams:Exposure</c>). The host adds the <see cref="FocusStorage"/> providers and the analyzer.
    /// </summary>
    public static ISiloBuilder AddFocusGrains(this ISiloBuilder silo, IConfiguration configuration)
    {
        var services = silo.Services;
        services.AddValidatedOptions<JobsOptions, JobsOptionsValidator>(configuration.GetSection(JobsOptions.Section));
        // CONTRACT §6: unset, the per-client quota follows the auth mode (none: no limit; apikey/jwt: 50).
        var authMode = configuration["Focus:Auth:Mode"];
        services.PostConfigure<JobsOptions>(o => o.MaxPerClient ??=
            string.IsNullOrEmpty(authMode) || authMode.Equals("none", StringComparison.OrdinalIgnoreCase) ? 0 : JobsOptions.AuthenticatedMaxPerClient);
        services.AddValidatedOptions<AdmissionOptions, AdmissionOptionsValidator>(configuration.GetSection(AdmissionOptions.Section));
        services.AddValidatedOptions<WaterfallOptions, WaterfallOptionsValidator>(configuration.GetSection(WaterfallOptions.Section));
        services.AddValidatedOptions<SiloPlacementOptions, SiloPlacementOptionsValidator>(configuration.GetSection(SiloPlacementOptions.Section));
        services.TryAddSingleton<LocalAnalyzerJobs>();
        services.AddHostedService<IdleMemoryTrim>();
        services.TryAddSingleton<SiloFiber>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SiloJobsDrain>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, JobRegistrySiloWatcher>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<JobInstruments>();
        services.TryAddSingleton<HistoricWindows>();
        services.TryAddSingleton(sp =>
        {
            var streams = sp.GetRequiredService<IOptions<StreamsOptions>>().Value;
            StreamsOptions.TryParsePortRange(streams.PortRange, out var first, out var last); // validated at start
            return new StreamPortPool(first, last, IPAddress.Parse(streams.BindAddress));
        });
        silo.AddFocusStreamExposure(configuration);
        // Orleans caches the address of every grain ever activated, up to a million by default (~250 B each): every
        // job, worker and unknown id asked for. The active grains are a few hundred; keep the cache near that.
        silo.Configure<GrainDirectoryOptions>(o => o.CacheSize = DirectoryCacheSize);
        return silo;
    }
}
