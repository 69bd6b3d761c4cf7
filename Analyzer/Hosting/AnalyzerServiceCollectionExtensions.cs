using Focus.Analyzer.Pipeline;
using Focus.Analyzer.Streaming;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Focus.Analyzer.Hosting;

public static class AnalyzerServiceCollectionExtensions
{
    /// <summary>
    /// Adds the in-process data plane: <see cref="IAnalyzerHost"/> (singleton <see cref="AnalyzerHost"/>),
    /// <see cref="StreamsOptions"/> from <c>Focus:Streams</c> (validated at start) and
    /// <see cref="StreamInstruments"/>. The caller registers <c>ISpectrogramEngine</c> and <c>ILiveSource</c>.
    /// </summary>
    public static IServiceCollection AddFocusAnalyzer(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StreamsOptions>().Bind(configuration.GetSection(StreamsOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StreamsOptions>, StreamsOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<StreamInstruments>();
        services.TryAddSingleton(new ComputeGate(Environment.ProcessorCount));
        services.TryAddSingleton<AnalyzerHost>();
        services.TryAddSingleton<IAnalyzerHost>(sp => sp.GetRequiredService<AnalyzerHost>());
        return services;
    }
}
