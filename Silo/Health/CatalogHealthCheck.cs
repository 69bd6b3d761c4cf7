using Focus.Grains.Recordings;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Focus.Silo.Health;

/// <summary>
/// Ready only while the recording catalog answers (CONTRACT §1 Operations): a silo whose catalog is down would
/// answer every historic /configure with 503, so a load balancer should send traffic elsewhere. The check (entry
/// <c>catalog</c>) names the catalog's kind and why it is not ready; it waits at most the catalog's own bound
/// (<see cref="CatalogOptions.Timeout"/>) and a second more. While a database catalog's circuit is open it answers
/// at once, and after the break its probe is the call that finds the database back.
/// </summary>
internal sealed class CatalogHealthCheck(IRecordingCatalog catalog, IOptions<CatalogOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var timeout = options.Value.Timeout + TimeSpan.FromSeconds(1);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        try
        {
            await catalog.CheckReachableAsync(bounded.Token);
            return HealthCheckResult.Healthy($"recording catalog ({catalog.Kind}) reachable");
        }
        catch (CatalogUnavailableException ex)
        {
            return HealthCheckResult.Unhealthy(ex.Message.Contains($"({catalog.Kind})", StringComparison.Ordinal)
                ? ex.Message
                : $"recording catalog ({catalog.Kind}): {ex.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"recording catalog ({catalog.Kind}) did not answer within {timeout.TotalSeconds:0.#} s");
        }
    }
}
