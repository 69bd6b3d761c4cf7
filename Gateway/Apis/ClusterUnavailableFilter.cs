using Focus.Gateway.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Focus.Gateway.Apis;

/// <summary>
/// A cluster that does not answer (silo gone, client reconnecting, call timed out) is a 503 the
/// client may retry, never a 500 or a hang.
/// </summary>
internal sealed partial class ClusterUnavailableFilter(ILogger<ClusterUnavailableFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception ex) when (ex is TimeoutException or SiloUnavailableException or OrleansMessageRejectionException)
        {
            LogUnavailable(ex, context.HttpContext.Request.Path);
            return FocusProblems.Unavailable("the cluster is unavailable; retry shortly", TimeSpan.FromSeconds(5), context.HttpContext);
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Cluster unavailable while serving {Path}")]
    private partial void LogUnavailable(Exception exception, string path);
}
