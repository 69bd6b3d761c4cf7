using Focus.Analyzer.Historic;
using Focus.Grains.Analyzers;
using Focus.Grains.Exposure;
using Focus.Grains.Fiber;
using Focus.Grains.Recordings;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime.Placement;

namespace Focus.Grains.Jobs;

/// <summary>
/// One investigation: validates against the fiber, derives its parameters, places its analyzer,
/// and owns its lifecycle configured → starting → running → completed | failed | cancelled | expired.
/// Whatever it took is given back on every way out.
/// </summary>
public sealed partial class JobGrain(
    [PersistentState("job", FocusStorage.Jobs)] IPersistentState<JobState> job,
    IOptions<JobsOptions> jobsOptions,
    IOptions<WaterfallOptions> waterfallOptions,
    IOptions<StorageOptions> storageOptions,
    IRecordingCatalog catalog,
    IStreamExposure exposure,
    JobInstruments instruments,
    TimeProvider clock,
    ILogger<JobGrain> logger) : Grain, IJobGrain
{
    private const string WaitingForFiber = "Cannot configure job: waiting for fiber";
    private const string NoRecording = "No recording found in given time range";

    private bool _starting;

    private string JobId => this.GetPrimaryKeyString();
    private IAnalyzerWorkerGrain Worker => GrainFactory.GetGrain<IAnalyzerWorkerGrain>(JobId);

    public async Task<JobOutcome> Start(JobStartRequest start)
    {
        if (job.State.Status is { } existing)
            return JobOutcome.Success(existing);

        _starting = true;
        try
        {
            return await StartCore(start);
        }
        finally
        {
            _starting = false;
        }
    }

    private async Task<JobOutcome> StartCore(JobStartRequest start)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["JobId"] = JobId, ["CorrelationId"] = start.CorrelationId });
        var now = clock.GetUtcNow();
        var status = new JobStatus
        {
            JobId = JobId,
            Phase = JobPhase.Configured,
            Request = start.Request,
            CreatedAt = now,
            PhaseChanges = [new JobPhaseChange(JobPhase.Configured, now)],
            CorrelationId = start.CorrelationId,
            Caller = start.Caller,
        };

        FiberMetadata fiber;
        HistoricAssignment? historic = null;
        if (start.Request.IsHistoric)
        {
            // Historic: the catalog first (no overlap is a 400), then the rules against the recordings' fiber.
            var (from, to) = (start.Request.StartTime!.Value, start.Request.EndTime!.Value);
            IReadOnlyList<RecordingInfo> recordings;
            try
            {
                recordings = await catalog.FindOverlapping(from, to, CancellationToken.None);
            }
            catch (CatalogUnavailableException ex)
            {
                return Reject(JobProblem.Unavailable(ex.Message, TimeSpan.FromSeconds(10)));
            }
            if (recordings.Count == 0)
                return Reject(new JobProblem { Kind = JobProblemKind.NoRecording, Detail = NoRecording });
            if (!recordings.Any(r => r.IsDescribed))
                return Reject(JobProblem.Unavailable(
                    $"the {recordings.Count} recording(s) in the time range cannot be read from storage ({storageOptions.Value.MountPath})", TimeSpan.FromSeconds(10)));
            (fiber, _) = RecordingsFiber.From(recordings, from, to);
            historic = new HistoricAssignment { Start = from, End = to, Files = [], StorageRoot = storageOptions.Value.MountPath };
        }
        else
        {
            fiber = await GrainFactory.GetGrain<IMetadataGrain>(MetadataKey.Value).Get();
            if (!fiber.IsKnown)
                return Reject(JobProblem.Unavailable(WaitingForFiber, TimeSpan.FromSeconds(5)));
        }

        var errors = ConfigureRequestValidator.Validate(start.Request, fiber);
        if (!errors.IsEmpty)
            return Reject(JobProblems.Invalid(errors));

        var parameters = JobParametersDerivation.Derive(start.Request, fiber, waterfallOptions.Value.LinesPerSecond);
        if (historic is not null)
        {
            // The last lines' frames reach internal_nfft samples past the window's end: play the files there too.
            var tail = TimeSpan.FromSeconds(parameters.InternalNfft / parameters.Prr);
            try
            {
                var files = await catalog.FindOverlapping(historic.Start, historic.End + tail, CancellationToken.None);
                historic = historic with
                {
                    Files = files.Where(r => r.Prr == fiber.Prr || !r.IsDescribed).Select(r => storageOptions.Value.Resolve(r.Path)).ToArray(),
                };
            }
            catch (CatalogUnavailableException ex)
            {
                return Reject(JobProblem.Unavailable(ex.Message, TimeSpan.FromSeconds(10)));
            }
        }
        status = MovedTo(status with { Parameters = parameters, Fiber = fiber }, JobPhase.Starting);

        AnalyzerStartResult started;
        try
        {
            started = await StartWorker(new AnalyzerAssignment(JobId, parameters, now, historic), start.Silo);
        }
        catch (Exception ex)
        {
            LogStartFault(ex);
            await StopWorkerQuietly(new AnalyzerStop(AnalyzerStopKind.Failed, "start failed"));
            instruments.FailedToStart();
            return Reject(new JobProblem { Kind = JobProblemKind.Internal, Detail = $"the analyzer could not start: {ex.Message}" });
        }

        if (started.Problem is { } problem || started.Resources is null)
            return Reject(started.Problem ?? new JobProblem { Kind = JobProblemKind.Internal, Detail = "the analyzer returned no stream" });

        // The stream is served; now make it reachable (Focus:Streams:Exposure). A platform that refuses is a 503,
        // and the analyzer (with its port) goes again; the exposure removed whatever it had made.
        JobResources resources;
        try
        {
            var exposed = await exposure.ExposeAsync(JobId, started.Resources, CancellationToken.None);
            resources = started.Resources with { StreamHost = exposed.Host, StreamPort = exposed.Port };
        }
        catch (StreamExposureUnavailableException ex)
        {
            await StopWorkerQuietly(new AnalyzerStop(AnalyzerStopKind.Failed, "the stream could not be exposed"));
            return Reject(JobProblem.Unavailable($"the job's stream could not be exposed: {ex.Message}", ex.RetryAfter));
        }

        status = MovedTo(status with { Resources = resources }, JobPhase.Running);
        job.State = new JobState { Status = status, Serving = true };
        await job.WriteStateAsync();
        instruments.Started();
        LogStarted(status.Mode, resources.StreamPort, parameters.ChannelMin, parameters.ChannelMax);
        return JobOutcome.Success(status);

        JobOutcome Reject(JobProblem problem)
        {
            // Never issued: the id stays unknown and this activation goes away.
            LogRejected(problem.Kind, problem.Detail);
            job.State = new JobState();
            DeactivateOnIdle();
            return JobOutcome.Failure(problem);
        }
    }

    public Task<JobStatus?> GetStatus()
    {
        // An id never issued must not leave an activation behind (404s are cheap to ask for).
        if (job.State.Status is null && !_starting) DeactivateOnIdle();
        return Task.FromResult(job.State.Status);
    }

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
        if (job.State.Status is not { } status) return null;
        if (!status.Phase.IsFinal())
            await End(JobPhase.Cancelled, new AnalyzerStop(AnalyzerStopKind.Cancelled, "job cancelled"), failureReason: null);
        else if (job.State.Serving)
            await StopServing(new AnalyzerStop(AnalyzerStopKind.Cancelled, "job cancelled")); // stays completed
        return job.State.Status;
    }

    public Task<bool> HoldsStream()
    {
        if (job.State.Status is null) DeactivateOnIdle();
        return Task.FromResult(job.State.Status is { } status && (!status.Phase.IsFinal() || job.State.Serving));
    }

    public async Task ReportProgress(JobActivity activity)
    {
        if (job.State.Status is { Phase: JobPhase.Completed } done && job.State.Serving)
        {
            await ReportWhileServingReplays(done, activity);
            return;
        }
        if (job.State.Status is not { Phase: JobPhase.Running } status) return;
        job.State = job.State with { Status = status with { Activity = activity } };

        if (activity.Completed && status.Request.IsHistoric && activity.Fault is null)
        {
            // A call played the window to its end: completed, while the stream keeps serving replays until idle.
            var completed = MovedTo(job.State.Status!, JobPhase.Completed);
            job.State = new JobState { Status = completed, Serving = true };
            await job.WriteStateAsync();
            instruments.Ended(JobPhase.Completed);
            GrainFactory.GetGrain<IJobRegistryGrain>(JobRegistryKey.Value).JobEnded(JobId).Ignore();
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

    /// <summary>Frees a completed job's stream and port; its state stays completed.</summary>
    private async Task StopServing(AnalyzerStop stop)
    {
        await TakeDownStream(stop);
        job.State = job.State with { Serving = false };
        await job.WriteStateAsync();
        LogStoppedServing(stop.Reason);
    }

    public async Task ReportLost(string reason)
    {
        if (job.State.Status is not { } status) return;
        if (status.Phase.IsFinal())
        {
            if (job.State.Serving)
            {
                await ReleaseExposureQuietly();
                job.State = job.State with { Serving = false }; // its stream is gone; it stays completed
            }
            return;
        }
        await End(JobPhase.Failed, new AnalyzerStop(AnalyzerStopKind.Failed, reason), reason);
    }

    public async Task<JobStatus?> Drain(string reason)
    {
        if (job.State.Status is not { } status) return null;
        if (!status.Phase.IsFinal())
            await End(JobPhase.Cancelled, new AnalyzerStop(AnalyzerStopKind.Cancelled, reason), reason);
        return job.State.Status;
    }

    /// <summary>Starts the analyzer on the silo the registry chose (all built-in placements honour the hint).</summary>
    private Task<AnalyzerStartResult> StartWorker(AnalyzerAssignment assignment, SiloAddress? silo)
    {
        if (silo is null) return Worker.Start(assignment);
        RequestContext.Set(IPlacementDirector.PlacementHintKey, silo);
        try
        {
            return Worker.Start(assignment);
        }
        finally
        {
            RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        }
    }

    private async Task End(JobPhase phase, AnalyzerStop stop, string? failureReason)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["JobId"] = JobId, ["CorrelationId"] = job.State.Status!.CorrelationId });
        await TakeDownStream(stop);
        var status = MovedTo(job.State.Status! with { FailureReason = failureReason }, phase);
        job.State = new JobState { Status = status };
        await job.WriteStateAsync();
        instruments.Ended(phase);
        GrainFactory.GetGrain<IJobRegistryGrain>(JobRegistryKey.Value).JobEnded(JobId).Ignore();
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
        catch (StreamExposureUnavailableException ex)
        {
            // The job ends all the same; the sweeper deletes what is left.
            LogReleaseFault(ex.Message);
        }
    }

    private JobStatus MovedTo(JobStatus status, JobPhase phase) =>
        status with { Phase = phase, PhaseChanges = [.. status.PhaseChanges, new JobPhaseChange(phase, clock.GetUtcNow())] };
}
