using Focus.Grains.Analyzers;
using Orleans.Concurrency;

namespace Focus.Grains.Jobs;

/// <summary>One investigation, keyed by its job id. Owns its lifecycle and everything it holds.</summary>
[Alias("Focus.IJobGrain")]
public interface IJobGrain : IGrainWithStringKey
{
    /// <summary>Derives, places and starts the job; answers once its stream accepts calls. Called by the registry.</summary>
    [Alias("Start")]
    Task<JobOutcome> Start(JobStartRequest request);

    /// <summary>The job as it is now; null for an id never issued.</summary>
    [Alias("GetStatus"), AlwaysInterleave, ResponseTimeout(JobRegistryKey.ReadTimeout)]
    Task<JobStatus?> GetStatus();

    /// <summary>
    /// Takes up to <paramref name="rowCount"/> of the oldest lines waiting for GET /waterfall (the first pull opens the
    /// job's pull buffer; a pull counts as a read). Null for an id never issued.
    /// </summary>
    [Alias("Pull"), AlwaysInterleave, ResponseTimeout(JobRegistryKey.ReadTimeout)]
    Task<PullResult?> Pull(int rowCount);

    /// <summary>Ends the job (CANCELLED streams); a repeat on an ended job changes nothing. Null when unknown.</summary>
    [Alias("Cancel")]
    Task<JobStatus?> Cancel();

    /// <summary>
    /// True while the job's stream is up (active, or completed and serving replays): its exposure must stay.
    /// Not interleaved, so a job still starting answers once it knows.
    /// </summary>
    [Alias("HoldsStream")]
    Task<bool> HoldsStream();

    /// <summary>The analyzer's periodic report; drives idle expiry and failure.</summary>
    [Alias("ReportProgress"), OneWay]
    Task ReportProgress(JobActivity activity);

    /// <summary>The analyzer lost the job (its pipeline or host is gone).</summary>
    [Alias("ReportLost"), OneWay]
    Task ReportLost(string reason);

    /// <summary>
    /// Deletes an ended job's record if its retention has passed (the retention sweep's call). True when no record is
    /// left (forgotten now or before, or never issued); false when it is kept: not due yet by this silo's clock, or the
    /// delete failed (the sweep asks again).
    /// </summary>
    [Alias("ForgetIfDue")]
    Task<bool> ForgetIfDue();

    /// <summary>Its silo is shutting down: ends the job cancelled (CANCELLED streams) with <paramref name="reason"/>. Null when unknown.</summary>
    [Alias("Drain")]
    Task<JobStatus?> Drain(string reason);
}
