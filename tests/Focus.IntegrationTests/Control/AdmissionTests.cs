using Focus.Grains.Jobs;
using static Focus.IntegrationTests.Infrastructure.Polling;

namespace Focus.IntegrationTests.Control;

/// <summary>The per-client quota, the per-job cost limits and the per-silo compute budget, at the registry.</summary>
[Collection(ControlPlaneCollection.Name)]
public sealed class AdmissionTests(ControlPlaneCluster cluster)
{
    [Fact]
    public async Task A_client_over_its_quota_is_refused_with_the_quota_named_and_other_clients_are_not()
    {
        var held = new List<string>();
        try
        {
            for (var i = 0; i < ControlPlaneCluster.MaxPerClient; i++)
                held.Add((await cluster.Create("quota-a", ControlPlaneCluster.Live(min: 100 + i, max: 100 + i))).Job!.JobId);

            var refused = (await cluster.Create("quota-a")).Problem!;
            Assert.Equal(JobProblemKind.QuotaExceeded, refused.Kind);
            Assert.Contains("Focus:Jobs:MaxPerClient", refused.Detail);
            Assert.Contains("quota-a", refused.Detail);
            Assert.NotNull(refused.RetryAfter);

            held.Add((await cluster.Create("quota-b")).Job!.JobId);

            await cluster.Grains.GetGrain<IJobGrain>(held[0]).Cancel();
            held.RemoveAt(0);
            held.Add((await cluster.Create("quota-a")).Job!.JobId);
        }
        finally
        {
            foreach (var jobId in held) await cluster.Grains.GetGrain<IJobGrain>(jobId).Cancel();
        }
        await cluster.AssertNothingHeld("after the quota test");
    }

    [Fact]
    public async Task A_cancelled_job_has_left_the_registry_when_its_cancel_returns()
    {
        // A client at its quota that ends a job and at once asks for another must find the slot free.
        for (var i = 0; i < 20; i++)
        {
            var jobId = (await cluster.Create("slot-freed")).Job!.JobId;
            await cluster.Grains.GetGrain<IJobGrain>(jobId).Cancel();
            Assert.DoesNotContain(await cluster.Registry.List(null), j => j.JobId == jobId);
        }
        await cluster.AssertNothingHeld("after the cancelled jobs");
    }

    [Fact]
    public async Task A_request_no_silo_could_compute_in_real_time_is_refused_naming_its_fields_and_limits()
    {
        var outcome = await cluster.Create("expensive", ControlPlaneCluster.Live(min: 1, max: 2222, nfft: 65536, duration: 1e-9));
        var problem = outcome.Problem!;
        Assert.Equal(JobProblemKind.Invalid, problem.Kind);
        Assert.Contains("Focus:Admission:MaxLinesPerSecond", problem.Detail);
        Assert.Contains("Focus:Admission:MaxFftSamplesPerSecond", problem.Detail);
        Assert.Contains("2000 lines/s", problem.Detail);
        Assert.Contains("displayTimeAxisDuration", problem.Errors!.Keys);
        Assert.Contains("channels", problem.Errors.Keys);
        Assert.Contains("nfftSelection", problem.Errors.Keys);
        Assert.All(problem.Errors, e => Assert.All(e.Value, m => Assert.StartsWith(e.Key + ":", m)));
        await cluster.AssertNothingHeld("after an over-cost request");
    }

    [Fact]
    public async Task Placement_respects_the_silo_compute_budget_and_a_full_silo_is_a_503_with_Retry_After()
    {
        // 500 channels × nfft 65536 × 100 lines/s = 3.28e9 channel-samples/s each; the silo's budget is 2e10.
        var heavy = ControlPlaneCluster.Live(min: 1, max: 500, nfft: 65536, duration: 10);
        var held = new List<string>();
        try
        {
            for (var i = 0; i < 6; i++)
                held.Add((await cluster.Create($"budget-{i}", heavy)).Job!.JobId);

            var full = (await cluster.Create("budget-6", heavy)).Problem!;
            Assert.Equal(JobProblemKind.Unavailable, full.Kind);
            Assert.Contains("Focus:Admission:SiloFftSamplesPerSecond", full.Detail);
            Assert.NotNull(full.RetryAfter);

            // A light job still fits beside them: the budget counts cost, not jobs.
            held.Add((await cluster.Create("budget-light", ControlPlaneCluster.Live(min: 1, max: 5))).Job!.JobId);

            await cluster.Grains.GetGrain<IJobGrain>(held[0]).Cancel();
            held.RemoveAt(0);
            held.Add((await cluster.Create("budget-6", heavy)).Job!.JobId);
        }
        finally
        {
            foreach (var jobId in held) await cluster.Grains.GetGrain<IJobGrain>(jobId).Cancel();
        }
        await cluster.AssertNothingHeld("after the budget test");
    }

    [Fact]
    public async Task A_completed_historic_job_serving_replays_keeps_its_slot_and_quota_until_its_stream_stops()
    {
        var held = new List<string>();
        try
        {
            var historic = (await cluster.Create("replays", ControlPlaneCluster.Historic())).Job!.JobId;
            var job = cluster.Grains.GetGrain<IJobGrain>(historic);
            cluster.Analyzers.Progress = FakeAnalyzerHost.Reading with { Completed = true };
            await Reports(() => job.GetStatus().Result!.Phase == JobPhase.Completed, "the historic job completes");
            Assert.True(await job.HoldsStream());
            Assert.Contains(await cluster.Registry.List(JobPhase.Completed), r => r.JobId == historic);

            for (var i = 0; i < ControlPlaneCluster.MaxPerClient - 1; i++)
                held.Add((await cluster.Create("replays", ControlPlaneCluster.Live(min: 200 + i, max: 200 + i))).Job!.JobId);
            Assert.Equal(JobProblemKind.QuotaExceeded, (await cluster.Create("replays")).Problem!.Kind);
            foreach (var jobId in held) await cluster.Grains.GetGrain<IJobGrain>(jobId).Cancel();
            held.Clear();

            // Nobody replays any more: the stream stops at the idle timeout, and with it the slot.
            cluster.Analyzers.Progress = FakeAnalyzerHost.Reading with { Completed = true, ConnectedClients = 0, LastReadAt = cluster.Clock.GetUtcNow() };
            cluster.Clock.Advance(TimeSpan.FromMinutes(4));
            await Reports(() => !job.HoldsStream().Result, "the completed job stops serving");
            Assert.Equal(JobPhase.Completed, (await job.GetStatus())!.Phase);
            await cluster.AssertNothingHeld("after the completed job stopped serving");
        }
        finally
        {
            cluster.Analyzers.Progress = FakeAnalyzerHost.Reading;
            foreach (var jobId in held) await cluster.Grains.GetGrain<IJobGrain>(jobId).Cancel();
        }
    }

    /// <summary>Waits for <paramref name="condition"/> while the workers report (their timers may run on the fake clock).</summary>
    private Task Reports(Func<bool> condition, string what) =>
        Eventually(condition, what, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100), () => cluster.Clock.Advance(TimeSpan.FromMilliseconds(500)));
}
