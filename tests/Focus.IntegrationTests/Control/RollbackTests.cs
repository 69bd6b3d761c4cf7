using Focus.Grains.Exposure;
using Focus.Grains.Jobs;
using static Focus.IntegrationTests.Infrastructure.Polling;

namespace Focus.IntegrationTests.Control;

/// <summary>
/// A fault injected after each step of a start, and at the end of a job: the answer says what failed, and nothing is
/// left behind (no analyzer, port, exposure, registry slot or job record).
/// </summary>
[Collection(ControlPlaneCollection.Name)]
public sealed class RollbackTests(ControlPlaneCluster cluster)
{
    [Fact]
    public async Task A_host_fault_while_starting_the_analyzer_is_a_500_that_holds_nothing()
    {
        var recordsBefore = cluster.Storage.Records("job");
        cluster.Analyzers.FailNextStart = new InvalidOperationException("injected: the pipeline could not start");
        var outcome = await cluster.Create("rollback-host");
        Assert.Equal(JobProblemKind.Internal, outcome.Problem!.Kind);
        Assert.Contains("could not start", outcome.Problem.Detail);
        await cluster.AssertNothingHeld("after a host fault");
        Assert.Equal(recordsBefore, cluster.Storage.Records("job"));
    }

    [Fact]
    public async Task An_analyzer_silo_that_does_not_answer_is_a_503_with_Retry_After_that_holds_nothing()
    {
        // As when the worker's silo dies or stalls mid-start: nothing wrong with the request, the client may retry.
        cluster.Analyzers.FailNextStart = new TimeoutException("injected: the analyzer's silo did not answer in time");
        var outcome = await cluster.Create("rollback-silo");
        Assert.Equal(JobProblemKind.Unavailable, outcome.Problem!.Kind);
        Assert.NotNull(outcome.Problem.RetryAfter);
        Assert.Contains("retry", outcome.Problem.Detail);
        await cluster.AssertNothingHeld("after the analyzer's silo did not answer");
    }

    [Fact]
    public async Task An_unexpected_exposure_error_after_the_analyzer_started_is_a_500_that_holds_nothing()
    {
        cluster.Exposure.FailNextExpose = new InvalidOperationException("injected: the exposure broke");
        var outcome = await cluster.Create("rollback-expose");
        Assert.Equal(JobProblemKind.Internal, outcome.Problem!.Kind);
        Assert.Contains("injected: the exposure broke", outcome.Problem.Detail);
        await cluster.AssertNothingHeld("after an exposure fault");
    }

    [Fact]
    public async Task A_refusing_platform_is_a_503_with_Retry_After_that_holds_nothing()
    {
        cluster.Exposure.FailNextExpose = new StreamExposureUnavailableException("injected: the API server refused", TimeSpan.FromSeconds(7));
        var outcome = await cluster.Create("rollback-refused");
        Assert.Equal(JobProblemKind.Unavailable, outcome.Problem!.Kind);
        Assert.Equal(TimeSpan.FromSeconds(7), outcome.Problem.RetryAfter);
        await cluster.AssertNothingHeld("after the platform refused");
    }

    [Fact]
    public async Task A_failing_state_write_after_the_stream_is_served_is_a_503_that_holds_nothing()
    {
        // CONTRACT: storage unreachable is a 503 with Retry-After.
        var recordsBefore = cluster.Storage.Records("job");
        cluster.Storage.FailWrites = 1;
        var outcome = await cluster.Create("rollback-write");
        Assert.Equal(JobProblemKind.Unavailable, outcome.Problem!.Kind);
        Assert.NotNull(outcome.Problem.RetryAfter);
        Assert.Contains("record could not be written", outcome.Problem.Detail);
        await cluster.AssertNothingHeld("after the job's record could not be written");
        Assert.Equal(recordsBefore, cluster.Storage.Records("job"));

        // The same client goes on as if nothing happened.
        var next = (await cluster.Create("rollback-write")).Job!;
        await cluster.Grains.GetGrain<IJobGrain>(next.JobId).Cancel();
        await cluster.AssertNothingHeld("after the next job was cancelled");
    }

    [Fact]
    public async Task A_failing_write_at_the_end_frees_the_slot_at_once_and_the_record_is_written_later()
    {
        var jobId = (await cluster.Create("rollback-end")).Job!.JobId;
        cluster.Storage.FailWrites = 1;
        Assert.Equal(JobPhase.Cancelled, (await cluster.Grains.GetGrain<IJobGrain>(jobId).Cancel())!.Phase);
        await cluster.AssertNothingHeld("after a cancel whose write failed");

        // The record said "running" when the write failed; the job keeps trying until it says how it ended.
        await Eventually(() => cluster.Storage.Read<JobState>("job", jobId) is not { Status.Phase: var phase } || phase.IsFinal(),
            $"job {jobId}'s record says how it ended", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100),
            () => cluster.Clock.Advance(TimeSpan.FromSeconds(1))); // grain timers may run on the fake clock
    }

    [Fact]
    public async Task Reconciliation_frees_the_slot_of_a_job_that_holds_nothing_and_its_worker_stops_itself()
    {
        var jobId = (await cluster.Create("reconcile")).Job!.JobId;
        Assert.Equal(1, cluster.Analyzers.RunningJobs);

        // The job's record is lost behind the registry's back (its JobEnded never arrives).
        cluster.Storage.Remove("job", jobId);
        await cluster.Deactivate(cluster.Grains.GetGrain<IJobGrain>(jobId));

        Assert.Equal(1, await cluster.Registry.Reconcile());
        Assert.Equal(0, await cluster.Registry.ActiveCount());
        Assert.Equal(0, await cluster.Registry.Reconcile());

        // Its analyzer reports to a job that does not know it, and stops.
        await Eventually(() => cluster.Analyzers.RunningJobs == 0 && cluster.Ports.InUse == 0, "the orphaned analyzer stops",
            TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100), () => cluster.Clock.Advance(TimeSpan.FromSeconds(1)));
        await cluster.AssertNothingHeld("after reconciliation");
    }
}
