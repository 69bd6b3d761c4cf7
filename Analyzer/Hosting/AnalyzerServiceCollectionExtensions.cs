using Focus.Analyzer.Historic;
using Focus.Analyzer.Launcher;
using Focus.Analyzer.Pipeline;
using Focus.Analyzer.Spectral;
using Focus.Analyzer.Streaming;
using Focus.Grains.Hosting;
using Focus.Grains.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Focus.Analyzer.Hosting;

public static class AnalyzerServiceCollectionExtensions
{
    /// <summary>
    /// Adds the in-process data plane: <see cref="IAnalyzerHost"/> (singleton <see cref="AnalyzerHost"/>),
    /// <see cref="StreamsOptions"/> from <c>Focus:Streams</c> (validated at start), historic playback
    /// (<see cref="HistoricAnalyzerHost"/>, <c>Focus:Storage</c>, <c>Focus:Historic</c>),
    /// <see cref="StreamInstruments"/>, the jobs' gRPC servers (<see cref="JobStreamServerFactory{TService}"/>, one
    /// per service: live and historic), and the spectrogram engine named by <c>Focus:Analyzer:Engine</c>
    /// (SIMD by default). <c>Focus:Analyzer:Host=process</c> runs each job in a child process instead
    /// (<see cref="ProcessAnalyzerHost"/>, <see cref="AnalyzerHostOptions"/>). The caller registers the <c>ILiveSource</c>
    /// (<c>AddFocusLiveSource</c>).
    /// </summary>
    public static IServiceCollection AddFocusAnalyzer(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<StreamsOptions, StreamsOptionsValidator>(configuration.GetSection(StreamsOptions.Section));
        // Focus:Auth: with auth on, jobs' ports check the stream tokens the gateway mints.
        services.AddFocusAuthOptions(configuration);
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<StreamInstruments>();
        services.TryAddSingleton(new ComputeGate(Environment.ProcessorCount));
        services.AddValidatedOptions<EngineOptions, EngineOptionsValidator>(configuration.GetSection(EngineOptions.Section));
        services.TryAddSingleton(sp => SpectrogramEngines.Create(sp.GetRequiredService<IOptions<EngineOptions>>().Value.Engine));
        services.AddValidatedOptions<StorageOptions, StorageOptionsValidator>(configuration.GetSection(StorageOptions.Section));
        services.AddValidatedOptions<HistoricOptions, HistoricOptionsValidator>(configuration.GetSection(HistoricOptions.Section));
        services.TryAddSingleton<JobStreamServerFactory<JobDataStreamService>>();
        services.TryAddSingleton<JobStreamServerFactory<HistoricDataStreamService>>();
        services.TryAddSingleton<HistoricAnalyzerHost>();
        services.TryAddSingleton<AnalyzerHost>();
        services.AddValidatedOptions<AnalyzerHostOptions, AnalyzerHostOptionsValidator>(configuration.GetSection(AnalyzerHostOptions.Section));
        services.TryAddSingleton(sp => new ProcessAnalyzerHost(sp.GetRequiredService<IOptions<AnalyzerHostOptions>>(), configuration,
            sp.GetRequiredService<StreamInstruments>(), sp, sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        // Decided here, once: the host the configuration names, and the spares only where processes run.
        if (ConfigEnum.GetOrDefaults<AnalyzerHostOptions>(configuration.GetSection(AnalyzerHostOptions.Section)).IsProcess)
        {
            services.AddHostedService<ProcessAnalyzerSpareService>();
            services.TryAddSingleton<IAnalyzerHost>(sp => sp.GetRequiredService<ProcessAnalyzerHost>());
        }
        else
        {
            services.TryAddSingleton<IAnalyzerHost>(sp => sp.GetRequiredService<AnalyzerHost>());
        }
        return services;
    }
}
