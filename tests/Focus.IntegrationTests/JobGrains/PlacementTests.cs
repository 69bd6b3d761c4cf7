using Focus.Grains.Jobs;
using Focus.IntegrationTests.Control;
using Orleans.TestingHost;

namespace Focus.IntegrationTests.JobGrains;

/// <summary>
/// Placement, the admission limits and a lost silo, on two in-process silos of their own per test (real grains, fake
/// analyzers and storage shared by both silos): where each job goes and what is refused is decided in one turn of the
/// registry, so every answer is known when the call returns (a cancelled job's slot is freed by a reconciliation the
/// test asks for, not by waiting for the job's end notice).
/// </summary>
public sealed class PlacementTests
{
    [Fact]
    public async Task Jobs_spread_over_the_silos_and_a_full_cluster_is_a_503_naming_MaxJobsPerSilo()
    {
        var cluster = await ControlPlaneCluster.StartAsync(2, new Dictionary<string, string?> { ["Focus:Cluster:MaxJobsPerSilo"] = "2" });
        try
        {
            var jobs = new List<JobStatus>();
            for (var i = 0; i < 4; i++) jobs.Add((await cluster.Create($"spread-{i}")).Job!);
            var silos = cluster.TestCluster.Silos.Select(s => s.Name).Order().ToList();
            Assert.Equal(silos, jobs.Select(j => j.Resources!.Silo).Distinct().Order());
            Assert.All(await cluster.Registry.Silos(), load => Assert.Equal(2, load.Jobs));

            var full = (await cluster.Create("spread-4")).Problem!;
            Assert.Equal(JobProblemKind.Unavailable, full.Kind);
            Assert.Contains("Focus:Cluster:MaxJobsPerSilo", full.Detail);
            Assert.NotNull(full.RetryAfter);

            // A slot freed on one silo is where the next job goes.
            await cluster.Grains.GetGrain<IJobGrain>(jobs[0].JobId).Cancel();
            await cluster.Registry.Reconcile(); // the job's end notice is on its way; reconciliation frees the slot now
            Assert.Equal(jobs[0].Resources!.Silo, (await cluster.Create("spread-4")).Job!.Resources!.Silo);
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_concurrent_job_limit_is_a_503_naming_MaxConcurrent_and_a_cancel_frees_a_slot()
    {
        var cluster = await ControlPlaneCluster.StartAsync(2, new Dictionary<string, string?> { ["Focus:Jobs:MaxConcurrent"] = "3" });
        try
        {
            var jobs = new List<string>();
            for (var i = 0; i < 3; i++) jobs.Add((await cluster.Create($"limit-{i}")).Job!.JobId);

            var refused = (await cluster.Create("limit-3")).Problem!;
            Assert.Equal(JobProblemKind.Unavailable, refused.Kind);
            Assert.Contains("Focus:Jobs:MaxConcurrent", refused.Detail);
            Assert.NotNull(refused.RetryAfter);

            await cluster.Grains.GetGrain<IJobGrain>(jobs[0]).Cancel();
            await cluster.Registry.Reconcile();
            Assert.NotNull((await cluster.Create("limit-3")).Job);
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_lost_silo_frees_its_jobs_slots_at_once_and_the_other_silos_jobs_run_on()
    {
        var cluster = await ControlPlaneCluster.StartAsync(2, new Dictionary<string, string?>());
        try
        {
            var first = (await cluster.Create("lost-a")).Job!;
            var second = (await cluster.Create("lost-b")).Job!;
            Assert.NotEqual(first.Resources!.Silo, second.Resources!.Silo);

            // The victim is the silo without the registry (a registry that moves is the cluster tests' part).
            Assert.True(cluster.TestCluster.TryGetGrainContext(cluster.Registry.GetGrainId(), out var registry));
            var victim = cluster.TestCluster.Silos.Single(s => !s.SiloAddress.Equals(registry.Address.SiloAddress));
            var (lost, kept) = victim.Name == first.Resources.Silo ? (first, second) : (second, first);
            await cluster.TestCluster.KillSiloAsync(victim);

            // What every silo's JobRegistrySiloWatcher says once membership declares the victim dead.
            await cluster.Registry.SiloLost(victim.SiloAddress, victim.Name);
            Assert.Equal([kept.JobId], (await cluster.Registry.List(null)).Select(j => j.JobId));
            await cluster.Registry.SiloLost(victim.SiloAddress, victim.Name); // reported again by another silo: nothing more
            Assert.Equal(1, await cluster.Registry.ActiveCount());

            var survivor = cluster.Grains.GetGrain<IJobGrain>(kept.JobId);
            Assert.Equal(JobPhase.Running, (await survivor.GetStatus())!.Phase);
            Assert.True(cluster.Analyzers.Runs(kept.JobId));
            await survivor.Cancel();
            Assert.False(cluster.Analyzers.Runs(kept.JobId));
            await cluster.Registry.Reconcile();
            Assert.Equal(0, await cluster.Registry.ActiveCount());
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }
}
