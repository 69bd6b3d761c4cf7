using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Focus.Gateway.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Focus.Gateway.Telemetry;

/// <summary>
/// Readiness and memory as metrics, for alerts: <c>focus_ready</c> (1 while every readiness check passes, as
/// <c>/health/ready</c> answers 200), <c>focus_health_check{check}</c> (1 healthy or degraded, 0 unhealthy: cluster,
/// broker, catalog) from the health checks run every 10 s, and <c>focus_memory_limit_bytes</c>, the memory the runtime
/// may use (a container's limit where there is one), to compare with the working set.
/// </summary>
public sealed class HealthMetrics : IHealthCheckPublisher
{
    private readonly ConcurrentDictionary<string, int> _checks = new(StringComparer.Ordinal);
    private volatile int _ready;

    public HealthMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(GatewayInstruments.MeterName);
        meter.CreateObservableGauge("focus_ready", () => _ready,
            description: "1 while every readiness check passes (GET /health/ready answers 200), else 0; 0 until the first checks ran.");
        meter.CreateObservableGauge("focus_health_check", ObserveChecks,
            description: "Each readiness check (label check: cluster, broker, catalog): 1 healthy or degraded, 0 unhealthy.");
        meter.CreateObservableGauge("focus_memory_limit_bytes", () => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
            description: "Memory this process may use: the container's memory limit where there is one, else the machine's memory.");
    }

    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        var ready = true;
        foreach (var (name, entry) in report.Entries)
        {
            var ok = entry.Status != HealthStatus.Unhealthy;
            _checks[name] = ok ? 1 : 0;
            ready &= ok;
        }
        _ready = ready ? 1 : 0;
        return Task.CompletedTask;
    }

    private IEnumerable<Measurement<int>> ObserveChecks() =>
        _checks.Select(c => new Measurement<int>(c.Value, new KeyValuePair<string, object?>("check", c.Key)));
}

public static class HealthMetricsExtensions
{
    public static IServiceCollection AddFocusHealthMetrics(this IServiceCollection services)
    {
        services.AddSingleton<HealthMetrics>();
        services.AddSingleton<IHealthCheckPublisher>(sp => sp.GetRequiredService<HealthMetrics>());
        services.Configure<HealthCheckPublisherOptions>(o =>
        {
            o.Delay = TimeSpan.FromSeconds(1);
            o.Period = TimeSpan.FromSeconds(10);
            o.Predicate = check => check.Tags.Contains(Apis.OperationsApi.ReadyTag);
        });
        services.AddMetricsAtStart<HealthMetrics>();
        return services;
    }
}
