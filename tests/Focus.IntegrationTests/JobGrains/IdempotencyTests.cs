using Focus.Grains.Jobs;
using Focus.IntegrationTests.Control;

namespace Focus.IntegrationTests.JobGrains;

/// <summary>The registry's Idempotency-Keys, on the control plane alone: a repeat is the same job, another request under the key a conflict.</summary>
[Collection(ControlPlaneCollection.Name)]
public sealed class IdempotencyTests(ControlPlaneCluster cluster)
{
    [Fact]
    public async Task A_key_used_again_with_another_request_is_a_conflict_and_its_job_stands()
    {
        var request = ControlPlaneCluster.Live(min: 40, max: 41);
        var first = (await cluster.Create("conflict", request, idempotencyKey: "key-conflict")).Job!;
        var active = await cluster.Registry.ActiveCount();

        var conflict = (await cluster.Create("conflict", request with { ChannelMax = 42 }, idempotencyKey: "key-conflict")).Problem!;
        Assert.Equal(JobProblemKind.IdempotencyConflict, conflict.Kind);
        Assert.Contains("'key-conflict'", conflict.Detail);
        Assert.Equal(active, await cluster.Registry.ActiveCount());

        Assert.Equal(first.JobId, (await cluster.Create("conflict", request, idempotencyKey: "key-conflict")).Job!.JobId);
        Assert.Equal(JobPhase.Running, (await cluster.Grains.GetGrain<IJobGrain>(first.JobId).GetStatus())!.Phase);
        await cluster.Grains.GetGrain<IJobGrain>(first.JobId).Cancel();
        await cluster.AssertNothingHeld("after the conflicting key's job was cancelled");
    }

    [Fact]
    public async Task Concurrent_creates_under_one_key_start_one_job()
    {
        var request = ControlPlaneCluster.Live(min: 50, max: 51);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(_ => cluster.Create("concurrent-key", request, idempotencyKey: "key-concurrent")));

        var jobId = Assert.Single(outcomes.Select(o => o.Job!.JobId).Distinct());
        Assert.Equal(1, cluster.Analyzers.RunningJobs);
        Assert.Equal(1, await cluster.Registry.ActiveCount());
        await cluster.Grains.GetGrain<IJobGrain>(jobId).Cancel();
        await cluster.AssertNothingHeld("after the one keyed job was cancelled");
    }
}
