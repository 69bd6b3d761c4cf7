namespace Focus.Grains.Jobs;

/// <summary>
/// <c>Focus:Jobs</c>: how many jobs the cluster (and one client) may hold, when an unread job expires, and how long an
/// ended job stays readable.
/// </summary>
public sealed class JobsOptions
{
    public const string Section = "Focus:Jobs";

    public int MaxConcurrent { get; set; } = 200;

    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>How long an Idempotency-Key is remembered (CONTRACT: 10 minutes).</summary>
    public TimeSpan IdempotencyWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long an ended job's /metadata is kept; then its state is deleted and its id is unknown (404).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Active jobs one client may hold (CONTRACT §6); 0: no limit. Unset, it follows <c>Focus:Auth:Mode</c>:
    /// no limit with <c>none</c>, <see cref="AuthenticatedMaxPerClient"/> with authentication.
    /// </summary>
    public int? MaxPerClient { get; set; }

    public const int AuthenticatedMaxPerClient = 50;

    /// <summary>How often the registry checks its active jobs against the jobs themselves (and forgets expired keys).</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the analyzer reports to its job (and so the granularity of idle expiry).</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(1);
}
