using Focus.Grains.Analyzers;
using Orleans.Runtime;

namespace Focus.Grains.Jobs;

/// <summary>The registry's periodic reconciliation: its active set against the jobs and the workers that hold streams.</summary>
public sealed partial class JobRegistryGrain
{
    public async Task<int> Reconcile()
    {
        _keys.ForgetExpired(clock.GetUtcNow());
        var changed = await FreeSlotsHoldingNothing() + await AdoptUnlistedJobs();
        if (changed > 0) await PersistQuietly();
        return changed;
    }

    /// <summary>Frees the slot of every started job of the active set that no longer holds its stream (a lost JobEnded).</summary>
    private async Task<int> FreeSlotsHoldingNothing()
    {
        // Jobs still starting answer Create themselves; every other one is asked whether it still holds its stream.
        var started = _active.Values.Where(j => j.Summary.Phase != JobPhase.Configured).Select(j => j.Summary.JobId).ToList();
        var answers = await Task.WhenAll(started.Select(async jobId =>
        {
            try
            {
                return (jobId, Holds: await GrainFactory.GetGrain<IJobGrain>(jobId).HoldsStream());
            }
            catch (Exception)
            {
                return (jobId, Holds: true); // no answer is no evidence: ask again next round
            }
        }));
        var gone = answers.Where(a => !a.Holds && _active.Remove(a.jobId)).Select(a => a.jobId).ToList();
        if (gone.Count > 0) LogReconciled(gone.Count, string.Join(", ", gone));
        return gone.Count;
    }

    /// <summary>
    /// Lists again every job that holds a stream but is not listed: one started through a registry that died before it
    /// heard the answer (or before it could write it down, the store being down). Such jobs are found by their analyzers
    /// (the workers active on every silo) and take their slot back, so that the limit, the quota, placement and the
    /// listing count them; they end like any other (DELETE, or the idle timeout when no client knows them).
    /// </summary>
    private async Task<int> AdoptUnlistedJobs()
    {
        List<GrainId> workers;
        try
        {
            _workerType ??= GrainFactory.GetGrain<IAnalyzerWorkerGrain>("_").GetGrainId().Type;
            workers = await GrainFactory.GetGrain<IManagementGrain>(0).GetActiveGrains(_workerType.Value);
        }
        catch (Exception ex)
        {
            LogWorkersUnknown(ex); // a silo did not answer: next round
            return 0;
        }

        var unlisted = workers.Select(w => w.Key.ToString()!).Where(id => !_active.ContainsKey(id)).Distinct().ToList();
        if (unlisted.Count == 0) return 0;
        var found = await Task.WhenAll(unlisted.Select(async jobId =>
        {
            try
            {
                var job = GrainFactory.GetGrain<IJobGrain>(jobId);
                var status = await job.GetStatus();
                // Running, or a completed historic job still serving replays; a job starting is its registry's to answer.
                return status is { Phase: JobPhase.Running } || (status is { Phase: JobPhase.Completed } && await job.HoldsStream()) ? status : null;
            }
            catch (Exception)
            {
                return null; // no answer is no evidence: ask again next round
            }
        }));

        var adopted = new List<string>();
        foreach (var status in found)
        {
            if (status is not { Resources: { } resources } || _active.ContainsKey(status.JobId)) continue;
            var fft = status.Parameters is { } parameters ? JobCost.Of(parameters).FftSamplesPerSecond : 0;
            _active[status.JobId] = new RegisteredJob(JobSummary.From(status), SiloNamed(resources.Silo), resources.EstimatedCpuCores, fft);
            adopted.Add(status.JobId);
        }
        if (adopted.Count > 0) LogAdopted(adopted.Count, string.Join(", ", adopted));
        return adopted.Count;
    }
}
