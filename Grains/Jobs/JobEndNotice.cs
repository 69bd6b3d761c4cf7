using Microsoft.Extensions.Logging;

namespace Focus.Grains.Jobs;

/// <summary>
/// Tells the registry that a job no longer holds its slot, until it has heard (JobEnded is idempotent). The caller
/// waits for the first attempt only (at most <see cref="FirstAttemptWait"/>), so that a client that ends a job and at
/// once asks for another finds its slot free; the retries run off the job's activation, so the job may deactivate
/// meanwhile, and a registry that moves or restarts gets them. What still fails after the last attempt, the
/// registry's reconciliation finds.
/// </summary>
internal static partial class JobEndNotice
{
    private static readonly TimeSpan FirstAttemptWait = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan[] Backoff =
        [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60)];

    public static async Task SendAsync(IGrainFactory grains, string jobId, ILogger logger)
    {
        // Even the first attempt runs off the activation: made from it (awaited in the job's turn), lost jobs were
        // left reading "running" in the silo-kill fault test (2 of 3 runs; 0 of 6 this way).
        var firstAttempt = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = Task.Run(() => Deliver(grains, jobId, logger, firstAttempt));
        try
        {
            await firstAttempt.Task.WaitAsync(FirstAttemptWait);
        }
        catch (TimeoutException)
        {
            // the registry is slow to answer: the delivery goes on without the caller
        }
    }

    private static async Task Deliver(IGrainFactory grains, string jobId, ILogger logger, TaskCompletionSource firstAttempt)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await grains.GetGrain<IJobRegistryGrain>(JobRegistryKey.Value).JobEnded(jobId);
                firstAttempt.TrySetResult();
                return;
            }
            catch (Exception ex) when (attempt < Backoff.Length)
            {
                firstAttempt.TrySetResult();
                LogRetry(logger, jobId, attempt + 1, ex.Message);
                await Task.Delay(Backoff[attempt]);
            }
            catch (Exception ex)
            {
                firstAttempt.TrySetResult();
                LogGaveUp(logger, jobId, ex);
                return;
            }
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "The registry did not hear that job {JobId} ended (attempt {Attempt}): {Problem}; trying again")]
    private static partial void LogRetry(ILogger logger, string jobId, int attempt, string problem);

    [LoggerMessage(2, LogLevel.Error, "The registry did not hear that job {JobId} ended; its reconciliation will free the slot")]
    private static partial void LogGaveUp(ILogger logger, string jobId, Exception exception);
}
