using Focus.Grains.Analyzers;
using Orleans.Concurrency;

namespace Focus.Grains.Jobs;

/// <summary>
/// The cluster's door for new jobs: admission against the concurrency limit and per-client quota, placement on a silo by
/// load and per-silo capacity, idempotency keys, job ids, and the listing of active jobs. One
/// activation, key <see cref="JobRegistryKey.Value"/>; its state survives the loss of its silo.
/// </summary>
[Alias("Focus.IJobRegistryGrain")]
public interface IJobRegistryGrain : IGrainWithStringKey
{
    /// <summary>Admits, places and starts a job; the same key with the same request returns the same job.</summary>
    [Alias("Create")]
    Task<JobOutcome> Create(ConfigureRequest request, string? idempotencyKey, string? correlationId, JobCaller caller);

    /// <summary>
    /// A job holds nothing any more (ended, or a completed job stopped serving replays): its admission slot is free.
    /// Idempotent; the job retries until it is heard.
    /// </summary>
    [Alias("JobEnded")]
    Task JobEnded(string jobId);

    /// <summary>A historic job played its window to the end; it keeps its slot while it serves replays.</summary>
    [Alias("JobCompleted"), OneWay]
    Task JobCompleted(string jobId);

    /// <summary>
    /// Checks every started job of the active set against the job itself and frees the slots of those that hold
    /// nothing (a lost JobEnded); lists again the running jobs it does not list (found by their analyzers on every
    /// silo: started through a registry that died before it heard); forgets expired idempotency keys. Runs on a timer;
    /// the number of slots freed plus the number of jobs listed again.
    /// </summary>
    [Alias("Reconcile")]
    Task<int> Reconcile();

    [Alias("List"), AlwaysInterleave, ResponseTimeout(JobRegistryKey.ReadTimeout)]
    Task<IReadOnlyList<JobSummary>> List(JobPhase? phase);

    [Alias("ActiveCount"), AlwaysInterleave, ResponseTimeout(JobRegistryKey.ReadTimeout)]
    Task<int> ActiveCount();

    /// <summary>Every live silo and what it carries (placement's view).</summary>
    [Alias("Silos"), AlwaysInterleave, ResponseTimeout(JobRegistryKey.ReadTimeout)]
    Task<IReadOnlyList<SiloLoad>> Silos();

    /// <summary>The silo was declared dead: its jobs fail ("silo &lt;name&gt; lost") and free their slots. Idempotent.</summary>
    [Alias("SiloLost")]
    Task SiloLost(SiloAddress silo, string siloName);

    /// <summary>The silo is shutting down: it takes no new jobs (it drains its own).</summary>
    [Alias("SiloDraining")]
    Task SiloDraining(SiloAddress silo);
}

public static class JobRegistryKey
{
    public const string Value = "cluster";

    /// <summary>
    /// Reads answer at once or not at all: one sent just as a silo dies is lost with it, and should turn
    /// into a 503 well before the 30 s a create may legitimately take under load.
    /// </summary>
    public const string ReadTimeout = "00:00:05";
}
