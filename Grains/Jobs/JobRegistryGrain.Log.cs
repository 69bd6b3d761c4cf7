using Microsoft.Extensions.Logging;

namespace Focus.Grains.Jobs;

public sealed partial class JobRegistryGrain
{
    [LoggerMessage(1, LogLevel.Warning, "Job refused: {Limit} jobs active")]
    private partial void LogLimitReached(int limit);

    [LoggerMessage(2, LogLevel.Warning, "Job refused: every one of {Silos} silos is at its capacity of {MaxJobsPerSilo} jobs or its compute budget, or draining")]
    private partial void LogSilosFull(int silos, int maxJobsPerSilo);

    [LoggerMessage(3, LogLevel.Warning, "Silo {Silo} lost: {Jobs} jobs failed and their slots freed")]
    private partial void LogSiloLost(string silo, int jobs);

    [LoggerMessage(4, LogLevel.Information, "Silo {Silo} is draining: it takes no new jobs")]
    private partial void LogDraining(string silo);

    [LoggerMessage(5, LogLevel.Information, "Registry resumed with {Jobs} active jobs")]
    private partial void LogResumed(int jobs);

    [LoggerMessage(6, LogLevel.Warning, "Could not write the registry's state; the next change tries again")]
    private partial void LogPersistFailed(Exception exception);

    [LoggerMessage(7, LogLevel.Information, "Job refused: client {Client} holds {Jobs} active jobs (quota {Quota})")]
    private partial void LogQuotaReached(string client, int jobs, int quota);

    [LoggerMessage(8, LogLevel.Warning, "Reconciliation freed {Jobs} slots of jobs that hold nothing: {JobIds}")]
    private partial void LogReconciled(int jobs, string jobIds);

    [LoggerMessage(9, LogLevel.Warning, "Reconciliation listed again {Jobs} running jobs the registry did not know: {JobIds}")]
    private partial void LogAdopted(int jobs, string jobIds);

    [LoggerMessage(10, LogLevel.Information, "Reconciliation could not list the analyzers of every silo; trying next round")]
    private partial void LogWorkersUnknown(Exception exception);

    [LoggerMessage(11, LogLevel.Warning, "Job {JobId} could not be started: its grain did not answer")]
    private partial void LogStartCallFailed(string jobId, Exception exception);

    [LoggerMessage(12, LogLevel.Error, "Job {JobId} could not be started: its grain failed")]
    private partial void LogStartCallFaulted(string jobId, Exception exception);
}
