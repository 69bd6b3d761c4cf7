using Focus.Grains.Jobs;

namespace Focus.IntegrationTests.Control;

/// <summary>
/// The registry after the faults a PostgreSQL cluster sees (tests/Focus.IntegrationTests/Faults runs them for real): a
/// job whose grain cannot load its record is a 503 that holds nothing, and a running job the registry lost (its write
/// failed, then it moved) is listed again by reconciliation.
/// </summary>
[Collection(ControlPlaneCollection.Name)]
public sealed class RegistryRecoveryTests(ControlPlaneCluster cluster)
{
    [Fact]
    public async Task A_job_whose_record_cannot_be_read_is_a_503_with_Retry_After_that_holds_nothing()
    {
        cluster.Storage.FailJobReads = 1;
        var outcome = await cluster.Create("recovery-read");
        Assert.Equal(JobProblemKind.Unavailable, outcome.Problem!.Kind);
        Assert.NotNull(outcome.Problem.RetryAfter);
        Assert.Contains("retry", outcome.Problem.Detail);
        await cluster.AssertNothingHeld("after a job's record could not be read");

        var next = (await cluster.Create("recovery-read")).Job!;
        await cluster.Grains.GetGrain<IJobGrain>(next.JobId).Cancel();
        await cluster.AssertNothingHeld("after the next job was cancelled");
    }

    [Fact]
    public async Task A_job_grain_that_fails_for_any_other_reason_is_an_internal_fault_not_a_retry()
    {
        // A record that cannot be deserialized is not the store being unreachable: retrying will not help.
        cluster.Storage.JobReadFault = () => new InvalidDataException("injected: the record cannot be deserialized");
        cluster.Storage.FailJobReads = 1;
        JobOutcome outcome;
        try
        {
            outcome = await cluster.Create("recovery-internal");
        }
        finally
        {
            cluster.Storage.FailJobReads = 0;
            cluster.Storage.JobReadFault = null;
        }
        Assert.Equal(JobProblemKind.Internal, outcome.Problem!.Kind);
        Assert.Null(outcome.Problem.RetryAfter);
        await cluster.AssertNothingHeld("after a job's grain failed");
        Assert.Empty(await cluster.Registry.List(null));
    }

    [Fact]
    public async Task A_running_job_the_registry_lost_is_listed_again_by_reconciliation()
    {
        // The registry's write fails (PostgreSQL down) after the job started, then the registry moves (its silo died):
        // it resumes from a record without the job, which runs on, holding its port.
        cluster.Storage.FailWritesOf = "registry";
        cluster.Storage.FailWrites = 1;
        JobStatus job;
        try
        {
            job = (await cluster.Create("recovery-adopt")).Job!;
        }
        finally
        {
            cluster.Storage.FailWrites = 0;
            cluster.Storage.FailWritesOf = "job";
        }
        await cluster.Deactivate(cluster.Registry);
        Assert.Equal(0, await cluster.Registry.ActiveCount());
        Assert.Equal(1, cluster.Analyzers.RunningJobs);

        // Reconciliation finds it by its analyzer and lists it again, with its slot, silo and port.
        Assert.Equal(1, await cluster.Registry.Reconcile());
        var row = Assert.Single(await cluster.Registry.List(null));
        Assert.Equal(job.JobId, row.JobId);
        Assert.Equal(JobPhase.Running, row.Phase);
        Assert.Equal(job.Resources!.StreamPort, row.StreamPort);
        Assert.Equal(0, await cluster.Registry.Reconcile());

        // It ends like any other job.
        await cluster.Grains.GetGrain<IJobGrain>(job.JobId).Cancel();
        await cluster.AssertNothingHeld("after the listed-again job was cancelled");
    }

    [Fact]
    public async Task A_registry_write_whose_answer_was_lost_does_not_stop_its_later_writes()
    {
        // The first registry write lands but its answer is lost (PostgreSQL cut off after the commit): the registry
        // holds the ETag from before it. Its next write must land all the same, or a registry that moves resumes
        // from a record that misses every job since.
        cluster.Storage.FailWritesOf = "registry";
        cluster.Storage.LoseWriteAnswers = 1;
        JobStatus first, second;
        try
        {
            first = (await cluster.Create("recovery-etag")).Job!;
            Assert.Equal(0, cluster.Storage.LoseWriteAnswers);
            second = (await cluster.Create("recovery-etag")).Job!;
        }
        finally
        {
            cluster.Storage.LoseWriteAnswers = 0;
            cluster.Storage.FailWritesOf = "job";
        }
        var stored = cluster.Storage.Read<JobRegistryState>("registry", JobRegistryKey.Value)!;
        Assert.Equal(new HashSet<string> { first.JobId, second.JobId }, stored.Jobs.Select(j => j.Summary.JobId).ToHashSet());

        // And resumed from it, the registry lists both.
        await cluster.Deactivate(cluster.Registry);
        Assert.Equal(2, await cluster.Registry.ActiveCount());
        foreach (var job in new[] { first, second }) await cluster.Grains.GetGrain<IJobGrain>(job.JobId).Cancel();
        await cluster.AssertNothingHeld("after both jobs were cancelled");
    }
}
