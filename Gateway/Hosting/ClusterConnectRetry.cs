using Microsoft.Extensions.Logging;

namespace Focus.Gateway.Hosting;

/// <summary>The standalone gateway may start before any silo: it keeps trying to connect, every 2 s.</summary>
internal sealed partial class ClusterConnectRetry(ILogger<ClusterConnectRetry> logger) : IClientConnectionRetryFilter
{
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(2);

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        LogRetrying(exception.Message, Delay.TotalSeconds);
        await Task.Delay(Delay, cancellationToken);
        return true;
    }

    [LoggerMessage(1, LogLevel.Warning, "Cannot reach the Orleans cluster yet ({Reason}); retrying in {Seconds} s")]
    private partial void LogRetrying(string reason, double seconds);
}
