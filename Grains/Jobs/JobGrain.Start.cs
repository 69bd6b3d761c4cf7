using Focus.Grains.Admission;
using Focus.Grains.Analyzers;
using Focus.Grains.Exposure;
using Focus.Grains.Fiber;
using Focus.Grains.Recordings;
using Orleans.Runtime.Placement;
using Orleans.Storage;

namespace Focus.Grains.Jobs;

/// <summary>
/// The start of a job: judge it (fiber or recordings, rules, cost), then take its resources one step at a time
/// (analyzer and port, exposure, the record), giving back every step taken when a later one fails.
/// </summary>
public sealed partial class JobGrain
{
    private const string WaitingForFiber = "Cannot configure job: waiting for fiber";
    private const string NoRecording = "No recording found in given time range";

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
        if (CostAdmission.Judge(parameters, admissionOptions.Value) is { } tooExpensive)
            return Reject(tooExpensive);
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

        // Step 1: the analyzer and its port.
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
        {
            await StopWorkerQuietly(new AnalyzerStop(AnalyzerStopKind.Failed, "start refused"));
            return Reject(started.Problem ?? new JobProblem { Kind = JobProblemKind.Internal, Detail = "the analyzer returned no stream" });
        }

        // Step 2: make the stream reachable (Focus:Streams:Exposure). A platform that refuses is a 503; anything else
        // is a 500. Either way the analyzer (with its port) goes again, and whatever the exposure made.
        JobResources resources;
        try
        {
            var exposed = await exposure.ExposeAsync(JobId, started.Resources, CancellationToken.None);
            resources = started.Resources with { StreamHost = exposed.Host, StreamPort = exposed.Port };
        }
        catch (Exception ex)
        {
            await RollBackStream(new AnalyzerStop(AnalyzerStopKind.Failed, "the stream could not be exposed"));
            if (ex is StreamExposureUnavailableException unavailable)
                return Reject(JobProblem.Unavailable($"the job's stream could not be exposed: {unavailable.Message}", unavailable.RetryAfter));
            LogStartFault(ex);
            instruments.FailedToStart();
            return Reject(new JobProblem { Kind = JobProblemKind.Internal, Detail = $"the job's stream could not be exposed: {ex.Message}" });
        }

        // Step 3: the record. A storage that fails here (a database blip) must not leave a served stream behind.
        status = MovedTo(status with { Resources = resources }, JobPhase.Running);
        job.State = new JobState { Status = status, Serving = true };
        try
        {
            await job.WriteStateAsync();
        }
        catch (Exception ex)
        {
            LogStartFault(ex);
            await RollBackStream(new AnalyzerStop(AnalyzerStopKind.Failed, "the job's record could not be written"));
            await ClearStateQuietly();
            instruments.FailedToStart();
            // The store unreachable is the contract's 503 (retry shortly); anything else an internal fault.
            return Reject(StoreFaults.IsUnreachable(ex)
                ? JobProblem.Unavailable("the job's record could not be written: the job store is unreachable; retry shortly", StoreFaults.RetryAfter)
                : new JobProblem { Kind = JobProblemKind.Internal, Detail = $"the job's record could not be written: {ex.Message}" });
        }

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

    /// <summary>Undoes steps 1 and 2 of a start: the exposure (whatever it made) and the analyzer with its port.</summary>
    private async Task RollBackStream(AnalyzerStop stop)
    {
        await ReleaseExposureQuietly();
        await StopWorkerQuietly(stop);
    }

    private async Task ClearStateQuietly()
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            try
            {
                await job.ClearStateAsync();
                return;
            }
            catch (Exception ex)
            {
                // Nothing was written (the write failed); or the write landed although its answer was lost, and the
                // record's ETag is not the one this activation holds: take it and delete again.
                LogStopFault(ex);
                if (ex is not InconsistentStateException) return;
                await TakeStoredETag();
            }
        }
    }
}
