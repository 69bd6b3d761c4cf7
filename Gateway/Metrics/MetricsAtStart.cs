using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;

namespace Focus.Gateway.Metrics;

/// <summary>
/// Instrument classes a scrape shows from the start: created when the host starts, once the meter provider
/// listens, so that what their constructors declare (a counter's <c>Add(0)</c>, an observable gauge) is in the
/// first scrape, not only after their first use. Dashboards and alerts can then refer to every series at once.
/// </summary>
public static class MetricsAtStart
{
    public static IServiceCollection AddMetricsAtStart<TInstruments>(this IServiceCollection services) where TInstruments : class
    {
        services.AddSingleton(new Declared(typeof(TInstruments)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, Creator>());
        return services;
    }

    internal sealed record Declared(Type Instruments);

    private sealed class Creator(IServiceProvider services, IEnumerable<Declared> declared) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            // Measurements made before the provider listens are lost: it first, then the instruments.
            services.GetService<MeterProvider>();
            foreach (var d in declared) services.GetRequiredService(d.Instruments);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
