using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Focus.Grains.Jobs;

/// <summary>
/// Forgets the ended jobs of one slice of time (<see cref="KeyFor"/>) with one reminder, due when the slice ends:
/// each job is asked to delete its record (<see cref="IJobGrain.ForgetIfDue"/>); those that could not are asked
/// again a period later. Once none is left the slice deletes its own record and reminder and goes. So the reminders
/// held are one per slice of the retention (60 for an hour), not one per job ended (Orleans keeps each one in memory,
/// unregistered ones until its next read of the reminder table, 5 minutes later).
/// </summary>
public sealed partial class RetentionSweepGrain(
    [PersistentState("retention", FocusStorage.Jobs)] IPersistentState<RetentionSweepState> state,
    TimeProvider clock,
    ILogger<RetentionSweepGrain> logger) : Grain, IRetentionSweepGrain, IRemindable
{
    private const string ReminderName = "forget-ended-jobs";
    /// <summary>The widest slice, and the period between two attempts (Orleans' minimum reminder period).</summary>
    private static readonly TimeSpan Slice = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan SoonestDue = TimeSpan.FromSeconds(1);
    private const int CallsAtOnce = 32;

    private HashSet<string>? _jobs;
    private bool _reminderSet;

    /// <summary>
    /// The slice a job due at <paramref name="forgetAt"/> goes to, named by the slice's end (after
    /// <paramref name="forgetAt"/>): a minute, or the retention when shorter, so that a job is forgotten at most one
    /// slice late.
    /// </summary>
    public static string KeyFor(DateTimeOffset forgetAt, TimeSpan retention)
    {
        var width = retention < Slice && retention > TimeSpan.Zero ? retention.Ticks : Slice.Ticks;
        var end = (forgetAt.UtcTicks / width + 1) * width;
        return new DateTimeOffset(end, TimeSpan.Zero).ToString("O", CultureInfo.InvariantCulture);
    }

    private DateTimeOffset DueAt => DateTimeOffset.Parse(this.GetPrimaryKeyString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private HashSet<string> Jobs => _jobs ??= new(state.State.JobIds, StringComparer.Ordinal);

    public async Task Add(string jobId)
    {
        if (!Jobs.Add(jobId)) return;
        await Write();
        if (_reminderSet) return;
        var due = DueAt - clock.GetUtcNow();
        await this.RegisterOrUpdateReminder(ReminderName, due > SoonestDue ? due : SoonestDue, Slice);
        _reminderSet = true;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ReminderName) return;
        _reminderSet = true;
        var kept = new List<string>();
        var asked = Jobs.Count;
        foreach (var batch in Jobs.ToList().Chunk(CallsAtOnce))
        {
            var forgotten = await Task.WhenAll(batch.Select(ForgetJob));
            kept.AddRange(batch.Where((_, i) => !forgotten[i]));
        }
        if (asked > kept.Count) LogForgot(this.GetPrimaryKeyString(), asked - kept.Count);
        if (kept.Count > 0)
        {
            LogKept(kept.Count);
            _jobs = new(kept, StringComparer.Ordinal);
            await WriteQuietly();
            return; // the next period asks again
        }

        try
        {
            await state.ClearStateAsync();
            _jobs = null;
            if (await this.GetReminder(ReminderName) is { } reminder) await this.UnregisterReminder(reminder);
            _reminderSet = false;
        }
        catch (Exception ex)
        {
            LogStoreFault(ex); // the next period finds nothing to forget and tries again
            return;
        }
        DeactivateOnIdle();
    }

    private async Task<bool> ForgetJob(string jobId)
    {
        try
        {
            return await GrainFactory.GetGrain<IJobGrain>(jobId).ForgetIfDue();
        }
        catch (Exception ex)
        {
            LogJobFault(jobId, ex.Message);
            return false;
        }
    }

    private Task Write()
    {
        state.State = new RetentionSweepState { JobIds = [.. Jobs] };
        return state.WriteStateAsync();
    }

    private async Task WriteQuietly()
    {
        try
        {
            await Write();
        }
        catch (Exception ex)
        {
            LogStoreFault(ex); // the ids stay held here; the next period writes again
        }
    }
}
