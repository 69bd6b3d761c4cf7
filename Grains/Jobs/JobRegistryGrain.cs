using Focus.Grains.Admission;
using Focus.Grains.Analyzers;
using Focus.Grains.Fiber;
using Focus.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Runtime;

namespace Focus.Grains.Jobs;

/// <summary>
/// Admission, placement, ids, idempotency and the active listing, for the whole cluster. Reentrant so
/// that one slow start does not queue every other /configure behind it; each check-and-reserve
/// (the limit, the client's quota, the silo's capacity, load and compute budget) happens within one turn, with no
/// await in between, so concurrent creates can never over-admit nor overload a silo. Its state is written through a
/// single writer (<see cref="PersistAsync"/>) and read back when it is reactivated elsewhere; a timer reconciles the
/// active set with the jobs themselves.
/// </summary>
[Reentrant, KeepAlive]
public sealed partial class JobRegistryGrain(
    [PersistentState("registry", FocusStorage.Jobs)] IPersistentState<JobRegistryState> state,
    IOptions<JobsOptions> options,
    IOptions<SiloPlacementOptions> placement,
    IOptions<AdmissionOptions> admission,
    IOptions<WaterfallOptions> waterfall,
    IClusterMembershipService membership,
    TimeProvider clock,
    ILogger<JobRegistryGrain> logger) : Grain, IJobRegistryGrain
{
    private readonly Dictionary<string, RegisteredJob> _active = new(StringComparer.Ordinal);
    private readonly IdempotencyKeys _keys = new();
    private readonly HashSet<SiloAddress> _draining = [];
    private long _sequence;
    private bool _dirty;
    private Task _flush = Task.CompletedTask;

    /// <summary>
    /// Ids a registry may have issued without writing its sequence (its writes failed, then its silo died): a resumed
    /// registry skips this many, so that no id is issued twice (a second job on the same id would be answered the
    /// first one's record).
    /// </summary>
    private const long SequenceSkippedOnResume = 1000;

    private static GrainType? _workerType;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var saved = state.State;
        _sequence = saved.Sequence + (state.RecordExists ? SequenceSkippedOnResume : 0);
        foreach (var job in saved.Jobs) _active[job.Summary.JobId] = job;
        _keys.Load(saved.Keys);
        if (saved.Jobs.Count > 0) LogResumed(saved.Jobs.Count);

        // Jobs of a silo that died while no registry was active (or with this one's silo) are lost.
        var snapshot = membership.CurrentSnapshot;
        foreach (var silo in _active.Values.Select(j => j.Silo).OfType<SiloAddress>().Distinct().ToList())
        {
            if (snapshot.GetSiloStatus(silo) is SiloStatus.Dead or SiloStatus.None)
                LoseSilo(silo, snapshot.Members.TryGetValue(silo, out var member) ? member.Name : silo.ToString());
        }

        var every = options.Value.ReconcileInterval;
        this.RegisterGrainTimer(Reconcile, new GrainTimerCreationOptions(every, every) { Interleave = true });
        return Task.CompletedTask;
    }

    public async Task<JobOutcome> Create(ConfigureRequest request, string? idempotencyKey, string? correlationId, JobCaller caller)
    {
        // Admission and placement, the job's start within it (JobGrain.Start), in the caller's trace.
        using var span = FocusTracing.Start("focus.registry.create", FocusTracing.Caller());
        span?.SetTag("focus.mode", request.IsHistoric ? "historic" : "live");
        var outcome = await CreateCore(request, idempotencyKey, correlationId, caller);
        if (outcome.Job is { } created) span?.SetTag("focus.job_id", created.JobId).SetTag("focus.silo", created.Resources?.Silo);
        else if (outcome.Problem is { } problem)
        {
            span?.SetTag("focus.problem", problem.Kind.ToString());
            if (problem.Kind is JobProblemKind.Internal) span.Failed(problem.Detail);
        }
        return outcome;
    }

    private async Task<JobOutcome> CreateCore(ConfigureRequest request, string? idempotencyKey, string? correlationId, JobCaller caller)
    {
        // What the job will cost (a 422 when too much for any silo; else for the silo's compute budget); the fiber is
        // read before the check-and-reserve turn.
        var fft = 0.0;
        if (!request.IsHistoric)
        {
            var fiber = await GrainFactory.GetGrain<IMetadataGrain>(MetadataKey.Value).Get();
            (fft, var tooExpensive) = CostAdmission.Assess(request, fiber, waterfall.Value.LinesPerSecond, admission.Value);
            if (tooExpensive is not null) return JobOutcome.Failure(tooExpensive);
        }

        if (idempotencyKey is not null && _keys.Find(idempotencyKey, clock.GetUtcNow()) is { } earlier)
        {
            if (earlier.Request != request)
                return JobOutcome.Failure(new JobProblem
                {
                    Kind = JobProblemKind.IdempotencyConflict,
                    Detail = $"Idempotency-Key '{idempotencyKey}' was used with a different request",
                });
            if (await earlier.Recall(GrainFactory) is { } same) return same;
            _keys.Forget(idempotencyKey); // its job was forgotten (or lost in a failover): create anew
        }

        if (Refuse(caller, fft, out var target) is { } refused) return JobOutcome.Failure(refused);
        System.Diagnostics.Activity.Current?.SetTag("focus.placed_on", target?.Name);

        var jobId = NewJobId();
        var now = clock.GetUtcNow();
        var summary = new JobSummary { JobId = jobId, Phase = JobPhase.Configured, Mode = request.IsHistoric ? "historic" : "live", CreatedAt = now, Silo = target?.Name, Caller = caller };
        _active[jobId] = new RegisteredJob(summary, target?.Silo, 0, fft);

        var outcome = StartJob(jobId, new JobStartRequest(request, correlationId, target?.Silo, caller));
        if (idempotencyKey is not null)
            _keys.Remember(idempotencyKey, request, jobId, outcome, now + options.Value.IdempotencyWindow);

        JobOutcome result;
        try
        {
            result = await outcome;
        }
        catch (Exception ex) when (ClusterFaults.IsTransient(ex))
        {
            // The job's grain did not answer: its record could not be read (the state store is down), its silo died or
            // the call timed out. Whatever it started, it rolled back or reconciliation adopts it; the client may retry.
            Forget(jobId, idempotencyKey);
            LogStartCallFailed(jobId, ex);
            return JobOutcome.Failure(JobProblem.Unavailable(
                "the job could not be started now: its grain did not answer (the job store or its silo is unreachable); retry shortly",
                admission.Value.RetryAfter));
        }
        catch (Exception ex)
        {
            // Anything else is a fault of ours, not a reason to retry: a 500 that says what it was.
            Forget(jobId, idempotencyKey);
            LogStartCallFaulted(jobId, ex);
            return JobOutcome.Failure(new JobProblem { Kind = JobProblemKind.Internal, Detail = "the job could not be started: an internal fault, logged under this request's correlation id" });
        }

        if (result.Job is { } started)
        {
            if (idempotencyKey is not null) _keys.Created(idempotencyKey);
            if (_active.ContainsKey(jobId) && !started.Phase.IsFinal())
            {
                var silo = SiloNamed(started.Resources?.Silo) ?? target?.Silo;
                var cost = started.Parameters is { } p ? JobCost.Of(p).FftSamplesPerSecond : fft;
                _active[jobId] = new RegisteredJob(JobSummary.From(started), silo, started.Resources?.EstimatedCpuCores ?? 0, cost);
                await PersistQuietly();
            }
        }
        else
        {
            Forget(jobId, idempotencyKey);
        }

        return result;
    }

    /// <summary>Why a new job cannot be admitted now (429 or 503), or null with the silo it goes to. No await: one turn.</summary>
    private JobProblem? Refuse(JobCaller caller, double fft, out SiloLoad? target)
    {
        target = null;
        var retryAfter = admission.Value.RetryAfter;
        var quota = options.Value.MaxPerClient ?? 0;
        if (quota > 0)
        {
            var held = _active.Values.Count(j => j.Summary.Caller?.Client == caller.Client);
            if (held >= quota)
            {
                LogQuotaReached(caller.Client, held, quota);
                return new JobProblem
                {
                    Kind = JobProblemKind.QuotaExceeded,
                    Detail = $"per-client quota reached: client {caller.Client} holds {held} active jobs, at most {quota} (Focus:Jobs:MaxPerClient); end one (DELETE /job/{{job_id}}) or wait for one to end",
                    RetryAfter = retryAfter,
                };
            }
        }

        var limit = options.Value.MaxConcurrent;
        if (_active.Count >= limit)
        {
            LogLimitReached(limit);
            return JobProblem.Unavailable($"concurrent job limit reached: {limit} active jobs (Focus:Jobs:MaxConcurrent)", retryAfter);
        }

        if (placement.Value.Placement != JobPlacement.Balanced) return null;
        var loads = SiloLoads();
        var budget = admission.Value.SiloFftSamplesPerSecond;
        target = SiloChooser.Choose(loads, placement.Value.MaxJobsPerSilo, fft, budget);
        if (target is not null) return null;
        LogSilosFull(loads.Count, placement.Value.MaxJobsPerSilo);
        return JobProblem.Unavailable(
            $"every silo is full: {loads.Count(l => !l.Draining)} silos taking jobs, at most {placement.Value.MaxJobsPerSilo} jobs each (Focus:Cluster:MaxJobsPerSilo, 0 = no limit) "
            + $"and {budget:G4} channel-samples/s through the FFT each (Focus:Admission:SiloFftSamplesPerSecond); this job needs {fft:G4}",
            retryAfter);
    }

    public Task JobEnded(string jobId)
    {
        if (_active.Remove(jobId)) _ = PersistQuietly();
        return Task.CompletedTask;
    }

    public Task JobCompleted(string jobId)
    {
        if (_active.TryGetValue(jobId, out var job) && !job.Summary.Phase.IsFinal())
            _active[jobId] = job with { Summary = job.Summary with { Phase = JobPhase.Completed } };
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<JobSummary>> List(JobPhase? phase)
    {
        IReadOnlyList<JobSummary> rows = _active.Values
            .Select(job => job.Summary)
            .Where(job => phase is null || job.Phase == phase)
            .OrderBy(job => job.CreatedAt)
            .ToList();
        return Task.FromResult(rows);
    }

    public Task<int> ActiveCount() => Task.FromResult(_active.Count);

    public Task<IReadOnlyList<SiloLoad>> Silos() => Task.FromResult<IReadOnlyList<SiloLoad>>(SiloLoads());

    public async Task SiloLost(SiloAddress silo, string siloName)
    {
        _draining.Remove(silo);
        if (LoseSilo(silo, siloName) > 0) await PersistQuietly();
    }

    public Task SiloDraining(SiloAddress silo)
    {
        if (_draining.Add(silo)) LogDraining(silo.ToString());
        return Task.CompletedTask;
    }

    /// <summary>Fails every job placed on <paramref name="silo"/> and frees its slot at once.</summary>
    private int LoseSilo(SiloAddress silo, string siloName)
    {
        var lost = _active.Where(j => silo.Equals(j.Value.Silo)).Select(j => j.Key).ToList();
        if (lost.Count == 0) return 0;
        var reason = $"silo {siloName} lost";
        foreach (var jobId in lost)
        {
            _active.Remove(jobId);
            GrainFactory.GetGrain<IJobGrain>(jobId).ReportLost(reason).Ignore();
        }
        LogSiloLost(siloName, lost.Count);
        return lost.Count;
    }

    /// <summary>The job grain goes where its analyzer will run.</summary>
    private Task<JobOutcome> StartJob(string jobId, JobStartRequest start) =>
        PlacementHint.On(start.Silo, () => GrainFactory.GetGrain<IJobGrain>(jobId).Start(start));

    /// <summary>Every active silo with the jobs this registry placed on it.</summary>
    private List<SiloLoad> SiloLoads()
    {
        var loads = new Dictionary<SiloAddress, SiloLoad>();
        foreach (var member in membership.CurrentSnapshot.Members.Values)
            if (member.Status == SiloStatus.Active)
                loads[member.SiloAddress] = new SiloLoad { Silo = member.SiloAddress, Name = member.Name, Draining = _draining.Contains(member.SiloAddress) };
        foreach (var job in _active.Values)
            if (job.Silo is { } silo && loads.TryGetValue(silo, out var load))
                loads[silo] = load with
                {
                    Jobs = load.Jobs + 1,
                    EstimatedCpuCores = load.EstimatedCpuCores + job.EstimatedCpuCores,
                    FftSamplesPerSecond = load.FftSamplesPerSecond + job.FftSamplesPerSecond,
                };
        return [.. loads.Values];
    }

    private SiloAddress? SiloNamed(string? name) =>
        name is null ? null : membership.CurrentSnapshot.Members.Values.FirstOrDefault(m => m.Name == name && m.Status == SiloStatus.Active)?.SiloAddress;

    private void Forget(string jobId, string? idempotencyKey)
    {
        _active.Remove(jobId);
        if (idempotencyKey is not null) _keys.Forget(idempotencyKey);
    }

    /// <summary>"{sequence}-{4 random digits}", the production shape; the random part keeps ids unguessable across restarts.</summary>
    private string NewJobId() => $"{++_sequence}-{Random.Shared.Next(1000, 10000)}";

    /// <summary>
    /// Writes the registry's current state. One write at a time (concurrent writes of one
    /// <see cref="IPersistentState{T}"/> conflict on its ETag): a change made while a write is in
    /// flight is picked up by the next round of the same writer, which every caller awaits.
    /// </summary>
    private Task PersistAsync()
    {
        _dirty = true;
        if (_flush.IsCompleted) _flush = FlushAsync();
        return _flush;
    }

    private async Task FlushAsync()
    {
        while (_dirty)
        {
            _dirty = false;
            state.State = Snapshot();
            await state.WriteOverLostAnswerAsync();
        }
    }

    private async Task PersistQuietly()
    {
        try
        {
            await PersistAsync();
        }
        catch (Exception ex)
        {
            // The in-memory registry stays right; the next change writes again.
            LogPersistFailed(ex);
        }
    }

    private JobRegistryState Snapshot() => new()
    {
        Sequence = _sequence,
        Jobs = [.. _active.Values.Where(j => j.Summary.Phase != JobPhase.Configured)],
        Keys = [.. _keys.Persisted(clock.GetUtcNow(), _active.ContainsKey)],
    };
}
