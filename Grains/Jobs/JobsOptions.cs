namespace Focus.Grains.Jobs;

/// <summary><c>Focus:Jobs</c>: how many jobs the cluster admits and when an unread job expires.</summary>
public sealed class JobsOptions
{
    public const string Section = "Focus:Jobs";

    public int MaxConcurrent { get; set; } = 200;

    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>How long an Idempotency-Key is remembered (CONTRACT: 10 minutes).</summary>
    public TimeSpan IdempotencyWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the analyzer reports to its job (and so the granularity of idle expiry).</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(1);
}
