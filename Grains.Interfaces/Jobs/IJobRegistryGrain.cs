using Orleans.Concurrency;

namespace Focus.Grains.Jobs;

/// <summary>
/// The cluster's door for new jobs: admission against the concurrency limit, idempotency keys,
/// job ids, and the listing of active jobs. One activation, key <see cref="JobRegistryKey.Value"/>.
/// </summary>
[Alias("Focus.IJobRegistryGrain")]
public interface IJobRegistryGrain : IGrainWithStringKey
{
    /// <summary>Admits and starts a job; the same key with the same request returns the same job.</summary>
    [Alias("Create")]
    Task<JobOutcome> Create(ConfigureRequest request, string? idempotencyKey, string? correlationId);

    /// <summary>A job reached a final phase: its admission slot is free.</summary>
    [Alias("JobEnded"), OneWay]
    Task JobEnded(string jobId);

    [Alias("List"), AlwaysInterleave]
    Task<IReadOnlyList<JobSummary>> List(JobPhase? phase);

    [Alias("ActiveCount"), AlwaysInterleave]
    Task<int> ActiveCount();
}

public static class JobRegistryKey
{
    public const string Value = "cluster";
}
