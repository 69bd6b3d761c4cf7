using Focus.Grains.Recordings;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Focus.Silo.Health;

/// <summary>
/// Ready only while the recording catalog answers (CONTRACT §1 Operations): a silo whose catalog is down would
/// answer every historic /configure with 503, so a load balancer should send traffic elsewhere.
/// </summary>
internal sealed class CatalogHealthCheck(IRecordingCatalog catalog) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await catalog.CheckReachableAsync(timeout.Token);
            return HealthCheckResult.Healthy($"recording catalog ({catalog.Kind}) reachable");
        }
        catch (CatalogUnavailableException ex)
        {
            return HealthCheckResult.Unhealthy(ex.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"recording catalog ({catalog.Kind}) did not answer within {Timeout.TotalSeconds:0} s");
        }
    }
}
