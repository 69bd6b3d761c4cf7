using Microsoft.Extensions.Logging;

namespace Focus.Grains.Jobs;

public sealed partial class RetentionSweepGrain
{
    [LoggerMessage(1, LogLevel.Warning, "{Count} ended jobs could not be forgotten yet; asking again in a minute")]
    private partial void LogKept(int count);

    [LoggerMessage(2, LogLevel.Warning, "Retention slice's record or reminder could not be written or removed")]
    private partial void LogStoreFault(Exception exception);

    [LoggerMessage(4, LogLevel.Information, "Retention slice {Slice} forgot {Count} ended jobs")]
    private partial void LogForgot(string slice, int count);

    [LoggerMessage(3, LogLevel.Warning, "Job {JobId} did not answer the retention sweep: {Problem}")]
    private partial void LogJobFault(string jobId, string problem);
}
