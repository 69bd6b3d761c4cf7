using Focus.Grains.Analyzers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace Focus.Grains.Jobs;

/// <summary>
/// Admission, placement, ids, idempotency and the active listing, for the whole cluster. Reentrant so
/// that one slow start does not queue every other /configure behind it; each check-and-reserve
/// (the limit, the silo's capacity, the silo's load) happens within one turn, before the first await,
/// so concurrent creates can never over-admit nor overload a silo. Its state is written through a
/// single writer (<see cref="PersistAsync"/>) and read back when it is reactivated elsewhere.
/// </summary>
[Reentrant, KeepAlive]
public sealed partial class JobRegistryGrain(
    [PersistentState("registry", FocusStorage.Jobs)] IPersistentState<JobRegistryState> state,
    IOptions<JobsOptions> options,
    IOptions<SiloPlacementOptions> placement,
    IClusterMembershipService membership,
    TimeProvider clock,
    ILogger<JobRegistryGrain> logger) : Grain, IJobRegistryGrain
{
    private readonly Dictionary<string, RegisteredJob> _active = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IdempotentCreate> _keys = new(StringComparer.Ordinal);
    private readonly HashSet<SiloAddress> _draining = [];
    private long _sequence;
    private bool _dirty;
    private Task _flush = Task.CompletedTask;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var saved = state.State;
        _sequence = saved.Sequence;
        foreach (var job in saved.Jobs) _active[job.Summary.JobId] = job;
        foreach (var key in saved.Keys) _keys[key.Key] = new IdempotentCreate(key.Request, key.JobId, null, key.ExpiresAt);
        if (saved.Jobs.Count > 0) LogResumed(saved.Jobs.Count);

        // Jobs of a silo that died while no registry was active (or with this one's silo) are lost.
        var snapshot = membership.CurrentSnapshot;
        foreach (var silo in _active.Values.Select(j => j.Silo).OfType<SiloAddress>().Distinct().ToList())
        {
            if (snapshot.GetSiloStatus(silo) is SiloStatus.Dead or SiloStatus.None)
                LoseSilo(silo, snapshot.Members.TryGetValue(silo, out var member) ? member.Name : silo.ToString());
        }
        return Task.CompletedTask;
    }

    public async Task<JobOutcome> Create(ConfigureRequest request, string? idempotencyKey, string? correlationId, JobCaller caller)
    {
        if (idempotencyKey is not null)
        {
            ForgetExpiredKeys();
            if (_keys.TryGetValue(idempotencyKey, out var earlier))
            {
                if (earlier.Request != request)
                    return JobOutcome.Failure(new JobProblem
                    {
                        Kind = JobProblemKind.IdempotencyConflict,
                        Detail = $"Idempotency-Key '{idempotencyKey}' was used with a different request",
                    });
                if (await earlier.Recall(GrainFactory) is { } same) return same;
                _keys.Remove(idempotencyKey); // remembered across a failover, but the job is gone: create anew
            }
        }

        var limit = options.Value.MaxConcurrent;
        if (_active.Count >= limit)
        {
            LogLimitReached(limit);
            return JobOutcome.Failure(JobProblem.Unavailable(
                $"concurrent job limit reached: {limit} active jobs (Focus:Jobs:MaxConcurrent)", TimeSpan.FromSeconds(10)));
        }

        SiloLoad? target = null;
        if (placement.Value.Placement == SiloPlacementOptions.Balanced)
        {
            var loads = SiloLoads();
            target = SiloChooser.Choose(loads, placement.Value.MaxJobsPerSilo);
            if (target is null)
            {
                LogSilosFull(loads.Count, placement.Value.MaxJobsPerSilo);
                return JobOutcome.Failure(JobProblem.Unavailable(
                    $"every silo is at its capacity: {loads.Count(l => !l.Draining)} silos taking jobs, at most {placement.Value.MaxJobsPerSilo} jobs each (Focus:Cluster:MaxJobsPerSilo)",
                    TimeSpan.FromSeconds(10)));
            }
        }

        var jobId = NewJobId();
        var now = clock.GetUtcNow();
        var summary = new JobSummary { JobId = jobId, Phase = JobPhase.Configured, Mode = request.IsHistoric ? "historic" : "live", CreatedAt = now, Silo = target?.Name, Caller = caller };
        _active[jobId] = new RegisteredJob(summary, target?.Silo, 0);

        var outcome = StartJob(jobId, new JobStartRequest(request, correlationId, target?.Silo, caller));
        if (idempotencyKey is not null)
            _keys[idempotencyKey] = new IdempotentCreate(request, jobId, outcome, now + options.Value.IdempotencyWindow);

        JobOutcome result;
        try
        {
            result = await outcome;
        }
        catch
        {
            Forget(jobId, idempotencyKey);
            throw;
        }

        if (result.Job is { } started)
        {
            if (_active.ContainsKey(jobId) && !started.Phase.IsFinal())
            {
                var silo = SiloNamed(started.Resources?.Silo) ?? target?.Silo;
                _active[jobId] = new RegisteredJob(JobSummary.From(started), silo, started.Resources?.EstimatedCpuCores ?? 0);
                await PersistQuietly();
            }
        }
        else
        {
            Forget(jobId, idempotencyKey);
        }

        return result;
    }

    public Task JobEnded(string jobId)
    {
        if (_active.Remove(jobId)) _ = PersistQuietly();
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

    private Task<JobOutcome> StartJob(string jobId, JobStartRequest start)
    {
        // The job grain goes where its analyzer will run, so losing a silo touches only its own jobs.
        if (start.Silo is null) return GrainFactory.GetGrain<IJobGrain>(jobId).Start(start);
        RequestContext.Set(IPlacementDirector.PlacementHintKey, start.Silo);
        try
        {
            return GrainFactory.GetGrain<IJobGrain>(jobId).Start(start);
        }
        finally
        {
            RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        }
    }

    /// <summary>Every active silo with the jobs this registry placed on it.</summary>
    private List<SiloLoad> SiloLoads()
    {
        var loads = new Dictionary<SiloAddress, SiloLoad>();
        foreach (var member in membership.CurrentSnapshot.Members.Values)
            if (member.Status == SiloStatus.Active)
                loads[member.SiloAddress] = new SiloLoad { Silo = member.SiloAddress, Name = member.Name, Draining = _draining.Contains(member.SiloAddress) };
        foreach (var job in _active.Values)
            if (job.Silo is { } silo && loads.TryGetValue(silo, out var load))
                loads[silo] = load with { Jobs = load.Jobs + 1, EstimatedCpuCores = load.EstimatedCpuCores + job.EstimatedCpuCores };
        return [.. loads.Values];
    }

    private SiloAddress? SiloNamed(string? name) =>
        name is null ? null : membership.CurrentSnapshot.Members.Values.FirstOrDefault(m => m.Name == name && m.Status == SiloStatus.Active)?.SiloAddress;

    private void Forget(string jobId, string? idempotencyKey)
    {
        _active.Remove(jobId);
        // A failed create is not remembered: the client may retry with the same key.
        if (idempotencyKey is not null) _keys.Remove(idempotencyKey);
    }

    private void ForgetExpiredKeys()
    {
        var now = clock.GetUtcNow();
        foreach (var (key, entry) in _keys)
            if (entry.ExpiresAt <= now) _keys.Remove(key);
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
            await state.WriteStateAsync();
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

    private JobRegistryState Snapshot()
    {
        var now = clock.GetUtcNow();
        return new JobRegistryState
        {
            Sequence = _sequence,
            Jobs = [.. _active.Values.Where(j => j.Summary.Phase == JobPhase.Running)],
            Keys = [.. _keys.Where(k => k.Value.Outcome is null || (k.Value.Outcome.IsCompletedSuccessfully && k.Value.Outcome.Result.Succeeded))
                .Where(k => k.Value.ExpiresAt > now)
                .Select(k => new RegisteredKey(k.Key, k.Value.Request, k.Value.JobId, k.Value.ExpiresAt))],
        };
    }

    /// <summary>A create under an idempotency key: in flight or done (<see cref="Outcome"/>), or recalled from storage (null).</summary>
    private sealed record IdempotentCreate(ConfigureRequest Request, string JobId, Task<JobOutcome>? Outcome, DateTimeOffset ExpiresAt)
    {
        public async Task<JobOutcome?> Recall(IGrainFactory grains)
        {
            if (Outcome is not null) return await Outcome;
            return await grains.GetGrain<IJobGrain>(JobId).GetStatus() is { } job ? JobOutcome.Success(job) : null;
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Job refused: {Limit} jobs active")]
    private partial void LogLimitReached(int limit);

    [LoggerMessage(2, LogLevel.Warning, "Job refused: every one of {Silos} silos is at its capacity of {MaxJobsPerSilo} jobs, or draining")]
    private partial void LogSilosFull(int silos, int maxJobsPerSilo);

    [LoggerMessage(3, LogLevel.Warning, "Silo {Silo} lost: {Jobs} jobs failed and their slots freed")]
    private partial void LogSiloLost(string silo, int jobs);

    [LoggerMessage(4, LogLevel.Information, "Silo {Silo} is draining: it takes no new jobs")]
    private partial void LogDraining(string silo);

    [LoggerMessage(5, LogLevel.Information, "Registry resumed with {Jobs} running jobs")]
    private partial void LogResumed(int jobs);

    [LoggerMessage(6, LogLevel.Warning, "Could not write the registry's state; the next change tries again")]
    private partial void LogPersistFailed(Exception exception);
}
