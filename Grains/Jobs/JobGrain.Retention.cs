namespace Focus.Grains.Jobs;

/// <summary>
/// How an ended job settles and is forgotten. Settling tells the registry first (a failing write must not keep
/// the slot), then writes the final record, retrying on a timer until the storage takes it. The record is kept for
/// <c>Focus:Jobs:Retention</c>; then it is deleted, by the first call that finds it due or by the retention sweep
/// (<see cref="RetentionSweepGrain"/>) when nobody asks, and the id is unknown again (404). Meanwhile the activation
/// goes away: the record is read back on demand.
/// </summary>
public sealed partial class JobGrain
{
    /// <summary>The reminder each ended job registered before the retention sweep; one left fires once more and goes.</summary>
    private const string RetentionReminder = "retention";
    private static readonly TimeSpan WriteRetryInterval = TimeSpan.FromSeconds(5);

    private IGrainTimer? _writeRetry;
    private Task? _forgetting;

    /// <summary>True when this activation holds a job; otherwise (never issued, or forgotten now) it goes away.</summary>
    private bool Known()
    {
        if (job.State.Status is not { } status)
        {
            // An id never issued must not leave an activation behind (unknown ids are cheap to ask for).
            if (!_starting) DeactivateOnIdle();
            return false;
        }
        if (job.State.IsSettled && clock.GetUtcNow() >= (job.State.ForgetAt ?? status.PhaseChanges[^1].At + jobsOptions.Value.Retention))
        {
            _forgetting ??= Forget();
            return false;
        }
        // An ended job is read rarely: its record is read back on demand rather than held in an activation.
        if (job.State.IsSettled && _writeRetry is null) DeactivateOnIdle();
        return true;
    }

    private async Task Settle(JobState settled)
    {
        job.State = settled with { ForgetAt = clock.GetUtcNow() + jobsOptions.Value.Retention };
        await JobEndNotice.SendAsync(GrainFactory, JobId, logger);
        if (!await TryWrite())
        {
            _writeRetry ??= this.RegisterGrainTimer(RetryWrite, new GrainTimerCreationOptions(WriteRetryInterval, WriteRetryInterval) { KeepAlive = true });
            return;
        }
        await RememberToForget();
        DeactivateOnIdle();
    }

    private async Task RetryWrite()
    {
        if (!await TryWrite()) return;
        _writeRetry?.Dispose();
        _writeRetry = null;
        await RememberToForget();
        DeactivateOnIdle();
    }

    private async Task<bool> TryWrite()
    {
        try
        {
            await job.WriteOverLostAnswerAsync();
            return true;
        }
        catch (Exception ex)
        {
            LogWriteFault(ex);
            return false;
        }
    }

    private async Task RememberToForget()
    {
        try
        {
            var sweep = RetentionSweepGrain.KeyFor(job.State.ForgetAt!.Value, jobsOptions.Value.Retention);
            await GrainFactory.GetGrain<IRetentionSweepGrain>(sweep).Add(JobId);
        }
        catch (Exception ex)
        {
            // The next read still forgets it when due; only an unread record outlives its retention.
            LogReminderFault(ex);
        }
    }

    public async Task<bool> ForgetIfDue()
    {
        if (Known()) return !job.State.IsSettled; // kept: not due yet; a job not ended is swept again when it ends
        if (_forgetting is { } forgetting) await forgetting;
        return job.State.Status is null;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != RetentionReminder) return;
        if (!await ForgetIfDue()) return;
        try
        {
            if (await this.GetReminder(RetentionReminder) is { } reminder) await this.UnregisterReminder(reminder);
        }
        catch (Exception ex)
        {
            LogReminderFault(ex);
        }
        DeactivateOnIdle();
    }

    private async Task Forget()
    {
        try
        {
            await job.ClearOverLostAnswerAsync();
        }
        catch (Exception ex)
        {
            LogWriteFault(ex);
            _forgetting = null; // the next call or sweep tries again
            return;
        }
        job.State = new JobState();
        DeactivateOnIdle();
    }
}
