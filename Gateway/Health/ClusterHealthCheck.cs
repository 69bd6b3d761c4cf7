using Focus.Grains.Fiber;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Focus.Gateway.Health;

/// <summary>Ready when a grain call round-trips through the cluster (the silo joined, or the client connected).</summary>
internal sealed class ClusterHealthCheck(IGrainFactory grains) : IHealthCheck
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var fiber = await grains.GetGrain<IMetadataGrain>(MetadataKey.Value).Get().WaitAsync(Deadline, cancellationToken);
            return HealthCheckResult.Healthy(fiber.IsKnown ? "cluster reachable" : "cluster reachable; waiting for fiber");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("the Orleans cluster does not answer", ex);
        }
    }
}
