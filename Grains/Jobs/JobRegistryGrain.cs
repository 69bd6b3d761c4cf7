using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace Focus.Grains.Jobs;

/// <summary>
/// Admission, ids, idempotency and the active listing. Reentrant so that one slow start does not
/// queue every other /configure behind it; each check-and-reserve happens within one turn, before
/// the first await, so concurrent creates can never over-admit.
/// </summary>
[Reentrant, KeepAlive]
public sealed partial class JobRegistryGrain(
    IOptions<JobsOptions> options,
    TimeProvider clock,
    ILogger<JobRegistryGrain> logger) : Grain, IJobRegistryGrain
{
    private readonly Dictionary<string, JobSummary> _active = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IdempotentCreate> _keys = new(StringComparer.Ordinal);
    private long _sequence;

    public async Task<JobOutcome> Create(ConfigureRequest request, string? idempotencyKey, string? correlationId)
    {
        if (idempotencyKey is not null)
        {
            ForgetExpiredKeys();
            if (_keys.TryGetValue(idempotencyKey, out var earlier))
            {
                return earlier.Request == request
                    ? await earlier.Outcome
                    : JobOutcome.Failure(new JobProblem
                    {
                        Kind = JobProblemKind.IdempotencyConflict,
                        Detail = $"Idempotency-Key '{idempotencyKey}' was used with a different request",
                    });
            }
        }

        var limit = options.Value.MaxConcurrent;
        if (_active.Count >= limit)
        {
            LogLimitReached(limit);
            return JobOutcome.Failure(JobProblem.Unavailable(
                $"concurrent job limit reached: {limit} active jobs (Focus:Jobs:MaxConcurrent)", TimeSpan.FromSeconds(10)));
        }

        var jobId = NewJobId();
        var now = clock.GetUtcNow();
        _active[jobId] = new JobSummary { JobId = jobId, Phase = JobPhase.Configured, Mode = request.IsHistoric ? "historic" : "live", CreatedAt = now };
        var outcome = GrainFactory.GetGrain<IJobGrain>(jobId).Start(new JobStartRequest(request, correlationId));
        if (idempotencyKey is not null)
            _keys[idempotencyKey] = new IdempotentCreate(request, outcome, now + options.Value.IdempotencyWindow);

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
                _active[jobId] = JobSummary.From(started);
        }
        else
        {
            Forget(jobId, idempotencyKey);
        }

        return result;
    }

    public Task JobEnded(string jobId)
    {
        _active.Remove(jobId);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<JobSummary>> List(JobPhase? phase)
    {
        IReadOnlyList<JobSummary> rows = _active.Values
            .Where(job => phase is null || job.Phase == phase)
            .OrderBy(job => job.CreatedAt)
            .ToList();
        return Task.FromResult(rows);
    }

    public Task<int> ActiveCount() => Task.FromResult(_active.Count);

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

    private sealed record IdempotentCreate(ConfigureRequest Request, Task<JobOutcome> Outcome, DateTimeOffset ExpiresAt);

    [LoggerMessage(1, LogLevel.Warning, "Job refused: {Limit} jobs active")]
    private partial void LogLimitReached(int limit);
}
