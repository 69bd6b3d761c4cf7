using Focus.Grains.Admission;
using Focus.Grains.Analyzers;
using Focus.Grains.Exposure;
using Focus.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Focus.Grains.Jobs;

/// <summary>
/// One investigation: validates against the fiber, derives its parameters, places its analyzer,
/// and owns its lifecycle configured → starting → running → completed | failed | cancelled | expired.
/// Whatever it took is given back on every way out; an ended job is kept for <c>Focus:Jobs:Retention</c>, then
/// forgotten (<c>JobGrain.Retention.cs</c>). An id it does not know leaves no activation behind.
/// </summary>
public sealed partial class JobGrain(
    [PersistentState("job", FocusStorage.Jobs)] IPersistentState<JobState> job,
    IOptions<JobsOptions> jobsOptions,
    IOptions<WaterfallOptions> waterfallOptions,
    IOptions<AdmissionOptions> admissionOptions,
    HistoricWindows historicWindows,
    IStreamExposure exposure,
    JobInstruments instruments,
    TimeProvider clock,
    ILogger<JobGrain> logger) : Grain, IJobGrain, IRemindable
{
    private bool _starting;

    private string JobId => this.GetPrimaryKeyString();
    private IAnalyzerWorkerGrain Worker => GrainFactory.GetGrain<IAnalyzerWorkerGrain>(JobId);

    public Task<JobStatus?> GetStatus() => Task.FromResult(Known() ? job.State.Status : null);

    public async Task<PullResult?> Pull(int rowCount)
    {
        if (job.State.Status is not { } status)
        {
            if (!_starting) DeactivateOnIdle();
            return null;
        }
        if (status.Phase.IsFinal() && !job.State.Serving) return PullResult.Ended;
        if (status.Phase is JobPhase.Configured or JobPhase.Starting) return PullResult.Empty;
        return await Worker.Pull(rowCount); // the worker's silo holds the buffer (a completed historic job too, while serving)
    }

    public async Task<JobStatus?> Cancel()
    {
        if (!Known()) return null;
        var status = job.State.Status!;
        if (!status.Phase.IsFinal())
            await End(JobPhase.Cancelled, new AnalyzerStop(AnalyzerStopKind.Cancelled, "job cancelled"), failureReason: null);
        else if (job.State.Serving)
            await StopServing(new AnalyzerStop(AnalyzerStopKind.Cancelled, "job cancelled")); // stays completed
        return job.State.Status;
    }

    public Task<bool> HoldsStream()
    {
        if (!Known()) return Task.FromResult(false);
        var status = job.State.Status!;
        return Task.FromResult(!status.Phase.IsFinal() || job.State.Serving);
    }

    public async Task ReportProgress(JobActivity activity)
    {
        if (!Known() || job.State.IsSettled)
        {
            // A worker this job does not know (its start was rolled back, or the job ended or was forgotten): it stops,
            // and whatever exposed it goes too.
            Worker.Stop(new AnalyzerStop(AnalyzerStopKind.Failed, "the job does not know this analyzer")).Ignore();
            await ReleaseExposureQuietly();
            return;
        }
        if (job.State.Status is { Phase: JobPhase.Completed } done && job.State.Serving)
        {
            await ReportWhileServingReplays(done, activity);
            return;
        }
        if (job.State.Status is not { Phase: JobPhase.Running } status) return;
        job.State = job.State with { Status = status with { Activity = activity } };

        if (activity.Completed && status.Request.IsHistoric && activity.Fault is null)
        {
            // A call played the window to its end: completed, while the stream keeps serving replays until idle
            // (and keeps its slot and quota: it still holds a port and computes for every replay).
            var completed = MovedTo(job.State.Status!, JobPhase.Completed);
            job.State = new JobState { Status = completed, Serving = true };
            await job.WriteStateAsync();
            instruments.Ended(JobPhase.Completed, completed.Mode);
            EndSpan(completed, "the window was played to its end");
            GrainFactory.GetGrain<IJobRegistryGrain>(JobRegistryKey.Value).JobCompleted(JobId).Ignore();
            LogEnded(JobPhase.Completed, "the window was played to its end; serving replays until idle");
            return;
        }

        if (activity.Fault is { } fault)
        {
            await End(JobPhase.Failed, new AnalyzerStop(AnalyzerStopKind.Failed, fault), fault);
            return;
        }

        var idleTimeout = jobsOptions.Value.IdleTimeout;
        var lastRead = activity.LastReadAt ?? status.PhaseChanges[^1].At;
        if (activity.ConnectedClients == 0 && clock.GetUtcNow() - lastRead >= idleTimeout)
            await End(JobPhase.Expired, new AnalyzerStop(AnalyzerStopKind.Expired, $"no client read for {idleTimeout}"), failureReason: null);
    }

    /// <summary>A completed historic job: keeps its activity current and frees its stream once nobody read for the idle timeout.</summary>
    private async Task ReportWhileServingReplays(JobStatus status, JobActivity activity)
    {
        job.State = job.State with { Status = status with { Activity = activity } };
        var idleTimeout = jobsOptions.Value.IdleTimeout;
        var lastRead = activity.LastReadAt ?? status.PhaseChanges[^1].At;
        if (activity.Fault is { } fault)
            await StopServing(new AnalyzerStop(AnalyzerStopKind.Failed, fault));
        else if (activity.ConnectedClients == 0 && clock.GetUtcNow() - lastRead >= idleTimeout)
            await StopServing(new AnalyzerStop(AnalyzerStopKind.Expired, $"no client read for {idleTimeout}"));
    }

    /// <summary>Frees a completed job's stream and port (and its slot); its state stays completed until forgotten.</summary>
    private async Task StopServing(AnalyzerStop stop)
    {
        await TakeDownStream(stop);
        await Settle(job.State with { Serving = false });
        LogStoppedServing(stop.Reason);
    }

    public async Task ReportLost(string reason)
    {
        if (!Known()) return;
        var status = job.State.Status!;
        if (status.Phase.IsFinal())
        {
            if (job.State.Serving)
            {
                await ReleaseExposureQuietly();
                await Settle(job.State with { Serving = false }); // its stream is gone; it stays completed
            }
            return;
        }
        await End(JobPhase.Failed, new AnalyzerStop(AnalyzerStopKind.Failed, reason), reason);
    }

    public async Task<JobStatus?> Drain(string reason)
    {
        if (!Known()) return null;
        if (!job.State.Status!.Phase.IsFinal())
            await End(JobPhase.Cancelled, new AnalyzerStop(AnalyzerStopKind.Cancelled, reason), reason);
        return job.State.Status;
    }

    private async Task End(JobPhase phase, AnalyzerStop stop, string? failureReason)
    {
        var started = job.State.Status!;
        using var scope = logger.BeginScope(new Dictionary<string, object?>
        {
            ["JobId"] = JobId, ["CorrelationId"] = started.CorrelationId, ["TraceId"] = FocusTracing.Parse(started.TraceParent) is { TraceId: var t } && t != default ? t.ToHexString() : null,
        });
        using var span = EndSpan(started with { Phase = phase }, stop.Reason);
        await TakeDownStream(stop);
        var status = MovedTo(job.State.Status! with { FailureReason = failureReason }, phase);
        instruments.Ended(phase, status.Mode);
        await Settle(new JobState { Status = status });
        LogEnded(phase, stop.Reason);
    }

    private async Task StopWorkerQuietly(AnalyzerStop stop)
    {
        try
        {
            await Worker.Stop(stop);
        }
        catch (Exception ex)
        {
            // The worker's silo may be gone; the port and pipeline went with it.
            LogStopFault(ex);
        }
    }

    /// <summary>Every end of a served stream: the analyzer (and its port) and what exposed it.</summary>
    private async Task TakeDownStream(AnalyzerStop stop)
    {
        await StopWorkerQuietly(stop);
        await ReleaseExposureQuietly();
    }

    private async Task ReleaseExposureQuietly()
    {
        try
        {
            await exposure.ReleaseAsync(JobId, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The job ends all the same; the sweeper deletes what is left.
            LogReleaseFault(ex.Message);
        }
    }

    /// <summary>
    /// The span of a job's end (<c>focus.job.end</c>, tagged with the phase it ends in): in the trace of the job's start,
    /// so that one trace tells a job's whole life; linked to whatever traced call ended it (a DELETE).
    /// </summary>
    private static System.Diagnostics.Activity? EndSpan(JobStatus ended, string reason)
    {
        if (!FocusTracing.Source.HasListeners()) return null;
        var start = FocusTracing.Parse(ended.TraceParent);
        var links = System.Diagnostics.Activity.Current is { } current && current.TraceId != start.TraceId
            ? new[] { new System.Diagnostics.ActivityLink(current.Context) }
            : null;
        var span = FocusTracing.Source.StartActivity("focus.job.end", System.Diagnostics.ActivityKind.Internal,
            start == default ? System.Diagnostics.Activity.Current?.Context ?? default : start, links: links);
        span?.SetTag("focus.job_id", ended.JobId).SetTag("focus.mode", ended.Mode).SetTag("focus.phase", ended.Phase.ToWire()).SetTag("focus.reason", reason);
        if (ended.Phase == JobPhase.Failed) span.Failed(reason);
        return span;
    }

    private JobStatus MovedTo(JobStatus status, JobPhase phase) =>
        status with { Phase = phase, PhaseChanges = [.. status.PhaseChanges, new JobPhaseChange(phase, clock.GetUtcNow())] };
}
