namespace Focus.Grains.Jobs;

/// <summary>
/// The registry's Idempotency-Keys: key → request and job, for <c>Focus:Jobs:IdempotencyWindow</c>. A create in
/// flight keeps its task (a concurrent repeat joins it); a finished one keeps only the job id, and the job answers
/// for itself (a job forgotten after its retention takes its key with it: the repeat creates anew). Only keys of
/// active jobs are persisted, so the registry's record stays proportional to its active jobs; the rest live in
/// memory until their window ends.
/// </summary>
internal sealed class IdempotencyKeys
{
    private readonly Dictionary<string, IdempotentCreate> _keys = new(StringComparer.Ordinal);

    public int Count => _keys.Count;

    public void Load(IEnumerable<RegisteredKey> saved)
    {
        foreach (var key in saved) _keys[key.Key] = new IdempotentCreate(key.Request, key.JobId, null, key.ExpiresAt);
    }

    public IdempotentCreate? Find(string key, DateTimeOffset now)
    {
        ForgetExpired(now);
        return _keys.GetValueOrDefault(key);
    }

    public void Remember(string key, ConfigureRequest request, string jobId, Task<JobOutcome> outcome, DateTimeOffset expiresAt) =>
        _keys[key] = new IdempotentCreate(request, jobId, outcome, expiresAt);

    /// <summary>The create under <paramref name="key"/> succeeded: keep the job id, drop the answer (it holds the whole status).</summary>
    public void Created(string key)
    {
        if (_keys.TryGetValue(key, out var entry)) _keys[key] = entry with { Outcome = null };
    }

    /// <summary>A failed create is not remembered: the client may retry with the same key.</summary>
    public void Forget(string key) => _keys.Remove(key);

    public void ForgetExpired(DateTimeOffset now)
    {
        foreach (var (key, entry) in _keys)
            if (entry.ExpiresAt <= now) _keys.Remove(key);
    }

    /// <summary>What the registry's record keeps: the finished keys of jobs still active.</summary>
    public IEnumerable<RegisteredKey> Persisted(DateTimeOffset now, Func<string, bool> isActive) =>
        _keys.Where(k => k.Value.Outcome is null && k.Value.ExpiresAt > now && isActive(k.Value.JobId))
            .Select(k => new RegisteredKey(k.Key, k.Value.Request, k.Value.JobId, k.Value.ExpiresAt));
}

/// <summary>A create under an idempotency key: in flight or done (<see cref="Outcome"/>), or settled (null: ask the job).</summary>
internal sealed record IdempotentCreate(ConfigureRequest Request, string JobId, Task<JobOutcome>? Outcome, DateTimeOffset ExpiresAt)
{
    public async Task<JobOutcome?> Recall(IGrainFactory grains)
    {
        if (Outcome is not null) return await Outcome;
        return await grains.GetGrain<IJobGrain>(JobId).GetStatus() is { } job ? JobOutcome.Success(job) : null;
    }
}
