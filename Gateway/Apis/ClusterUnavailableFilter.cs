using Focus.Gateway.Problems;
using Focus.Grains.Jobs;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Focus.Gateway.Apis;

/// <summary>
/// A cluster that does not answer (silo gone, client reconnecting, call timed out), or a grain whose state the job
/// store could not read (PostgreSQL down), is a 503 the client may retry, never a 500 or a hang.
/// </summary>
internal sealed partial class ClusterUnavailableFilter(ILogger<ClusterUnavailableFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception ex) when (ClusterFaults.IsUnavailable(ex))
        {
            LogUnavailable(ex, context.HttpContext.Request.Path);
            return FocusProblems.Unavailable("the cluster is unavailable; retry shortly", TimeSpan.FromSeconds(5), context.HttpContext);
        }
        catch (Exception ex) when (StoreFaults.IsUnreachable(ex))
        {
            LogStoreUnreachable(ex, context.HttpContext.Request.Path);
            return FocusProblems.Unavailable("the job store is unreachable; retry shortly", StoreFaults.RetryAfter, context.HttpContext);
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Cluster unavailable while serving {Path}")]
    private partial void LogUnavailable(Exception exception, string path);

    [LoggerMessage(2, LogLevel.Warning, "The job store was unreachable while serving {Path}")]
    private partial void LogStoreUnreachable(Exception exception, string path);
}
