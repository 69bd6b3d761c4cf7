using Microsoft.Extensions.Logging;

namespace Focus.Grains.Jobs;

public sealed partial class JobGrain
{
    [LoggerMessage(1, LogLevel.Information, "Job running ({Mode}) on stream port {StreamPort}, channels {ChannelMin}-{ChannelMax}")]
    private partial void LogStarted(string mode, int streamPort, int channelMin, int channelMax);

    [LoggerMessage(2, LogLevel.Information, "Job not created: {Kind}: {Detail}")]
    private partial void LogRejected(JobProblemKind kind, string detail);

    [LoggerMessage(3, LogLevel.Information, "Job ended {Phase}: {Reason}")]
    private partial void LogEnded(JobPhase phase, string reason);

    [LoggerMessage(4, LogLevel.Error, "Job analyzer failed to start")]
    private partial void LogStartFault(Exception exception);

    [LoggerMessage(5, LogLevel.Warning, "Job analyzer did not stop cleanly")]
    private partial void LogStopFault(Exception exception);

    [LoggerMessage(6, LogLevel.Information, "Completed job's stream stopped: {Reason}")]
    private partial void LogStoppedServing(string reason);

    [LoggerMessage(7, LogLevel.Warning, "Job's stream exposure could not be taken down: {Problem}")]
    private partial void LogReleaseFault(string problem);

    [LoggerMessage(8, LogLevel.Warning, "Job's record could not be written or deleted; trying again")]
    private partial void LogWriteFault(Exception exception);

    [LoggerMessage(9, LogLevel.Warning, "Job could not be handed to the retention sweep, or its old retention reminder removed")]
    private partial void LogReminderFault(Exception exception);
}
