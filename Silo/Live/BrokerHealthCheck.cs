using Focus.Analyzer.Sources.RabbitMq;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Focus.Silo.Live;

/// <summary>Ready while the live broker is connected and the metadata queue is consumed.</summary>
internal sealed class BrokerHealthCheck(BrokerConnection broker, PrpcastConsumer consumer) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(consumer.IsConsuming
            ? HealthCheckResult.Healthy("live broker connected")
            : HealthCheckResult.Unhealthy($"live broker unavailable: {broker.LastError ?? "metadata consumer not running"}"));
}
