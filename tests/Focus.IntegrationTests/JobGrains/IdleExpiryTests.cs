using Focus.Analyzer.Pipeline;
using Focus.Grains.Jobs;
using Focus.IntegrationTests.Control;
using static Focus.IntegrationTests.Infrastructure.Polling;

namespace Focus.IntegrationTests.JobGrains;

/// <summary>
/// Idle expiry on the fake clock: the analyzer reports nobody reading, and the clock is moved to one second before and
/// then exactly to <c>Focus:Jobs:IdleTimeout</c> after the job started. The report is one-way (the worker's timer
/// sends it): each step waits until the job has taken it before the clock moves on, so the job reads the instant
/// the test chose.
/// </summary>
[Collection(ControlPlaneCollection.Name)]
public sealed class IdleExpiryTests(ControlPlaneCluster cluster)
{
    private static readonly TimeSpan IdleTimeout = new JobsOptions().IdleTimeout;
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_job_nobody_reads_expires_at_the_idle_timeout_and_not_a_second_before()
    {
        var started = (await cluster.Create("idle")).Job!;
        var job = cluster.Grains.GetGrain<IJobGrain>(started.JobId);
        var runningSince = started.PhaseChanges[^1].At;
        var unread = FakeAnalyzerHost.Reading with { ConnectedClients = 0, LastReadAt = runningSince };
        try
        {
            cluster.Clock.Advance(IdleTimeout - Second);
            await Report(job, unread with { LinesEmitted = 1 });
            Assert.Equal(JobPhase.Running, (await job.GetStatus())!.Phase);

            cluster.Clock.Advance(Second);
            await job.ReportProgress(Activity(unread with { LinesEmitted = 2 }));
            await Eventually(async () => (await job.GetStatus())!.Phase == JobPhase.Expired, "the unread job expires");
            Assert.Equal(runningSince + IdleTimeout, (await job.GetStatus())!.PhaseChanges[^1].At);
        }
        finally
        {
            cluster.Analyzers.Progress = FakeAnalyzerHost.Reading;
        }
        await cluster.AssertNothingHeld("after the unread job expired");
    }

    [Fact]
    public async Task A_job_read_within_the_idle_timeout_runs_on()
    {
        var job = cluster.Grains.GetGrain<IJobGrain>((await cluster.Create("read")).Job!.JobId);
        try
        {
            cluster.Clock.Advance(IdleTimeout * 2);
            var readJustNow = cluster.Clock.GetUtcNow() - IdleTimeout + Second;
            await Report(job, FakeAnalyzerHost.Reading with { ConnectedClients = 0, LastReadAt = readJustNow, LinesEmitted = 3 });
            Assert.Equal(JobPhase.Running, (await job.GetStatus())!.Phase);
        }
        finally
        {
            cluster.Analyzers.Progress = FakeAnalyzerHost.Reading;
            await job.Cancel();
        }
        await cluster.AssertNothingHeld("after the read job was cancelled");
    }

    [Fact]
    public async Task A_job_with_a_connected_client_never_expires()
    {
        var started = (await cluster.Create("connected")).Job!;
        var job = cluster.Grains.GetGrain<IJobGrain>(started.JobId);
        var connected = FakeAnalyzerHost.Reading with { LastReadAt = started.PhaseChanges[^1].At, LinesEmitted = 4 };
        try
        {
            cluster.Analyzers.Progress = connected; // the ticks of the clock's move say so too
            cluster.Clock.Advance(IdleTimeout * 2);
            await Report(job, connected);
            Assert.Equal(JobPhase.Running, (await job.GetStatus())!.Phase);
        }
        finally
        {
            cluster.Analyzers.Progress = FakeAnalyzerHost.Reading;
            await job.Cancel();
        }
        await cluster.AssertNothingHeld("after the connected job was cancelled");
    }

    /// <summary>
    /// The analyzer reports <paramref name="progress"/> (its timer says the same from now on); returns once the job
    /// holds it (<see cref="JobProgress.LinesEmitted"/> marks each report). The clock does not move meanwhile, so every
    /// copy of the report is judged at the same instant; a copy still on its way when the test moves the clock on would be
    /// judged later, so each test takes one step after it (the expiry test's second step expires at that instant anyway).
    /// </summary>
    private async Task Report(IJobGrain job, JobProgress progress)
    {
        cluster.Analyzers.Progress = progress;
        await job.ReportProgress(Activity(progress));
        // Sent again each round: a timer tick of the last clock move, read before the progress was set, may land after it.
        JobStatus? seen = null;
        await Eventually(async () => (seen = await job.GetStatus())!.Activity?.LinesEmitted == progress.LinesEmitted,
            () => $"the job takes the report: it is {seen?.Phase} since {seen?.PhaseChanges[^1].At:O} with {seen?.Activity} at {cluster.Clock.GetUtcNow():O}",
            eachRound: () => _ = job.ReportProgress(Activity(progress)));
    }

    private static JobActivity Activity(JobProgress p) =>
        new() { ConnectedClients = p.ConnectedClients, LinesEmitted = p.LinesEmitted, LastReadAt = p.LastReadAt };
}
