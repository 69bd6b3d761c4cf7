using Focus.Grains.Admission;
using Focus.Grains.Analyzers;
using Focus.Grains.Exposure;
using Focus.Grains.Fiber;
using Focus.Telemetry;

namespace Focus.Grains.Jobs;

/// <summary>
/// The start of a job: judge it (fiber or recordings, rules, cost), then take its resources one step at a time
/// (analyzer and port, exposure, the record), giving back every step taken when a later one fails.
/// </summary>
public sealed partial class JobGrain
{
    private const string WaitingForFiber = "Cannot configure job: waiting for fiber";

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
        var caller = FocusTracing.Caller();
        using var span = FocusTracing.Start("focus.job.start", caller);
        span?.SetTag("focus.job_id", JobId).SetTag("focus.mode", start.Request.IsHistoric ? "historic" : "live");
        using var scope = logger.BeginScope(new Dictionary<string, object?>
        {
            ["JobId"] = JobId, ["CorrelationId"] = start.CorrelationId, ["TraceId"] = FocusTracing.TraceIdOf(span, caller),
        });
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
            TraceParent = span?.Id ?? FocusTracing.Format(caller),
        };

        FiberMetadata fiber;
        HistoricWindows.Found? historic = null;
        if (start.Request.IsHistoric)
        {
            // Historic: the catalog first (no overlap is a 400), then the rules against the recordings' fiber.
            historic = await historicWindows.Find(start.Request.StartTime!.Value, start.Request.EndTime!.Value);
            if (historic.Problem is { } notPlayable) return Reject(notPlayable);
            fiber = historic.Fiber!;
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
            historic = await historicWindows.WithFiles(historic, TimeSpan.FromSeconds(parameters.InternalNfft / parameters.Prr));
            if (historic.Problem is { } notPlayable) return Reject(notPlayable);
        }
        status = MovedTo(status with { Parameters = parameters, Fiber = fiber }, JobPhase.Starting);

        // Step 1: the analyzer and its port.
        AnalyzerStartResult started;
        var step = FocusTracing.Start("focus.job.worker");
        try
        {
            started = await StartWorker(new AnalyzerAssignment(JobId, parameters, now, historic?.Assignment), start.Silo);
            step?.SetTag("focus.silo", started.Resources?.Silo).SetTag("focus.stream_port", started.Resources?.StreamPort);
        }
        catch (Exception ex)
        {
            step.Failed(ex.Message);
            LogStartFault(ex);
            await StopWorkerQuietly(new AnalyzerStop(AnalyzerStopKind.Failed, "start failed"));
            instruments.FailedToStart(start.Request.IsHistoric ? "historic" : "live");
            // Its silo went away or did not answer in time: the client may retry (placement picks a live silo).
            if (ClusterFaults.IsUnavailable(ex))
                return Reject(JobProblem.Unavailable($"the analyzer's silo did not answer: {ex.GetType().Name}; retry shortly", admissionOptions.Value.RetryAfter));
            return Reject(new JobProblem { Kind = JobProblemKind.Internal, Detail = $"the analyzer could not start: {ex.Message}" });
        }
        finally
        {
            step?.Dispose();
        }

        if (started.Problem is { } problem || started.Resources is null)
        {
            await StopWorkerQuietly(new AnalyzerStop(AnalyzerStopKind.Failed, "start refused"));
            return Reject(started.Problem ?? new JobProblem { Kind = JobProblemKind.Internal, Detail = "the analyzer returned no stream" });
        }

        // Step 2: make the stream reachable (Focus:Streams:Exposure). A platform that refuses is a 503; anything else
        // is a 500. Either way the analyzer (with its port) goes again, and whatever the exposure made.
        JobResources resources;
        step = FocusTracing.Start("focus.job.expose");
        try
        {
            var exposed = await exposure.ExposeAsync(JobId, started.Resources, CancellationToken.None);
            resources = started.Resources with { StreamHost = exposed.Host, StreamPort = exposed.Port };
        }
        catch (Exception ex)
        {
            step.Failed(ex.Message);
            step?.Dispose();
            await RollBackStream(new AnalyzerStop(AnalyzerStopKind.Failed, "the stream could not be exposed"));
            if (ex is StreamExposureUnavailableException unavailable)
                return Reject(JobProblem.Unavailable($"the job's stream could not be exposed: {unavailable.Message}", unavailable.RetryAfter));
            LogStartFault(ex);
            instruments.FailedToStart(start.Request.IsHistoric ? "historic" : "live");
            return Reject(new JobProblem { Kind = JobProblemKind.Internal, Detail = $"the job's stream could not be exposed: {ex.Message}" });
        }
        step?.Dispose();

        // Step 3: the record. A storage that fails here (a database blip) must not leave a served stream behind.
        status = MovedTo(status with { Resources = resources }, JobPhase.Running);
        job.State = new JobState { Status = status, Serving = true };
        step = FocusTracing.Start("focus.job.record");
        try
        {
            await job.WriteStateAsync();
        }
        catch (Exception ex)
        {
            step.Failed(ex.Message);
            step?.Dispose();
            LogStartFault(ex);
            await RollBackStream(new AnalyzerStop(AnalyzerStopKind.Failed, "the job's record could not be written"));
            await ClearStateQuietly();
            instruments.FailedToStart(start.Request.IsHistoric ? "historic" : "live");
            // The store unreachable is the contract's 503 (retry shortly); anything else an internal fault.
            return Reject(StoreFaults.IsUnreachable(ex)
                ? JobProblem.Unavailable("the job's record could not be written: the job store is unreachable; retry shortly", StoreFaults.RetryAfter)
                : new JobProblem { Kind = JobProblemKind.Internal, Detail = $"the job's record could not be written: {ex.Message}" });
        }
        step?.Dispose();

        instruments.Started(status.Mode);
        span?.SetTag("focus.silo", resources.Silo).SetTag("focus.stream_port", resources.StreamPort);
        LogStarted(status.Mode, resources.StreamPort, parameters.ChannelMin, parameters.ChannelMax);
        return JobOutcome.Success(status);

        JobOutcome Reject(JobProblem problem)
        {
            // Never issued: the id stays unknown and this activation goes away.
            LogRejected(problem.Kind, problem.Detail);
            span?.SetTag("focus.problem", problem.Kind.ToString());
            span.Failed(problem.Detail);
            job.State = new JobState();
            DeactivateOnIdle();
            return JobOutcome.Failure(problem);
        }
    }

    /// <summary>Starts the analyzer on the silo the registry chose.</summary>
    private Task<AnalyzerStartResult> StartWorker(AnalyzerAssignment assignment, SiloAddress? silo) =>
        PlacementHint.On(silo, () => Worker.Start(assignment));

    /// <summary>Undoes steps 1 and 2 of a start: the exposure (whatever it made) and the analyzer with its port.</summary>
    private async Task RollBackStream(AnalyzerStop stop)
    {
        await ReleaseExposureQuietly();
        await StopWorkerQuietly(stop);
    }

    private async Task ClearStateQuietly()
    {
        try
        {
            // Nothing was written (the write failed), or the write landed although its answer was lost.
            await job.ClearOverLostAnswerAsync();
        }
        catch (Exception ex)
        {
            LogStopFault(ex);
        }
    }
}
