using Focus.Analyzer.Sources;
using Focus.Analyzer.Sources.RabbitMq;
using Focus.Analyzer.Sources.Simulated;
using Focus.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Focus.Analyzer.Hosting;

public static class LiveSourceServiceCollectionExtensions
{
    /// <summary>
    /// The live input named by <c>Focus:Live:Source</c> (validated at start) as the <see cref="ILiveSource"/>: the
    /// built-in simulator (<c>Focus:Simulator</c>) or the recorder's RabbitMQ exchange (one connection per process,
    /// a queue per job). The silo and an analyzer process (<c>--job</c>) wire it alike; what only the silo does with
    /// it (publishing the fiber's metadata) is the silo's.
    /// </summary>
    public static IServiceCollection AddFocusLiveSource(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<LiveOptions, LiveOptionsValidator>(configuration.GetSection(LiveOptions.Section));
        if (ConfigEnum.GetOrDefaults<LiveOptions>(configuration.GetSection(LiveOptions.Section)).Source == LiveSource.RabbitMq)
        {
            services.TryAddSingleton(sp =>
            {
                var o = sp.GetRequiredService<IOptions<LiveOptions>>().Value; // validated at start
                return new RabbitMqSettings
                {
                    Broker = new Uri(o.Broker),
                    MaxQueueBytes = o.MaxQueueBytes,
                    Prefetch = (ushort)o.Prefetch,
                    ReorderWindow = o.ReorderWindow,
                    MaxChunkValues = o.MaxChunkValues,
                    FiberLimits = new FiberLimits(o.MaxChannels, o.MaxPrr),
                    ClientName = $"focus {Environment.MachineName}",
                };
            });
            services.TryAddSingleton<BrokerConnection>();
            services.TryAddSingleton<RecorderFiber>();
            services.AddMetrics();
            services.TryAddSingleton<LiveInstruments>();
            services.TryAddSingleton<RabbitMqLiveSource>();
            services.TryAddSingleton<ILiveSource>(sp => sp.GetRequiredService<RabbitMqLiveSource>());
        }
        else
        {
            services.AddSimulatedLiveSource(configuration);
            services.TryAddSingleton<ILiveSource>(sp => sp.GetRequiredService<SimulatedLiveSource>());
        }
        return services;
    }
}
