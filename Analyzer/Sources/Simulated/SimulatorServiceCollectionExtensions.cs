using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Focus.Analyzer.Sources.Simulated;

public static class SimulatorServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="SimulatorOptions"/> (bound to <c>Focus:Simulator</c>, validated at start) and a singleton
    /// <see cref="SimulatedLiveSource"/>. Choosing it as the <see cref="ILiveSource"/> (<c>Focus:Live:Source</c>)
    /// is left to the host.
    /// </summary>
    public static IServiceCollection AddSimulatedLiveSource(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<SimulatorOptions, SimulatorOptionsValidator>(configuration.GetSection(SimulatorOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new SimulatedLiveSource(
            sp.GetRequiredService<IOptions<SimulatorOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
