namespace Focus.Grains.Analyzers;

/// <summary>
/// Picks the silo for a new job: among live silos that take jobs and are under their capacity, the one
/// with the smallest share of the cluster's active jobs plus share of its estimated CPU (so a silo
/// holding heavier jobs counts as busier); ties go to fewer jobs, then to the name. A silo whose compute budget
/// (<paramref name="siloFftBudget"/>, channel-samples/s through the FFT; 0: none) the new job's
/// <paramref name="jobFftSamplesPerSecond"/> would exceed is full. Pure, so it is tested on its own.
/// </summary>
public static class SiloChooser
{
    public static SiloLoad? Choose(IReadOnlyCollection<SiloLoad> silos, int maxJobsPerSilo, double jobFftSamplesPerSecond = 0, double siloFftBudget = 0)
    {
        var totalJobs = silos.Sum(s => s.Jobs);
        var totalCpu = silos.Sum(s => s.EstimatedCpuCores);
        SiloLoad? best = null;
        var bestScore = double.MaxValue;
        foreach (var silo in silos)
        {
            if (silo.Draining || (maxJobsPerSilo > 0 && silo.Jobs >= maxJobsPerSilo)) continue;
            if (siloFftBudget > 0 && silo.FftSamplesPerSecond + jobFftSamplesPerSecond > siloFftBudget) continue;
            var score = (totalJobs > 0 ? (double)silo.Jobs / totalJobs : 0) + (totalCpu > 0 ? silo.EstimatedCpuCores / totalCpu : 0);
            if (best is null || score < bestScore - 1e-9
                || (Math.Abs(score - bestScore) <= 1e-9 && (silo.Jobs < best.Jobs
                    || (silo.Jobs == best.Jobs && string.CompareOrdinal(silo.Name, best.Name) < 0))))
            {
                best = silo;
                bestScore = score;
            }
        }
        return best;
    }
}
