using Focus.Grains.Jobs;
using static Focus.IntegrationTests.Infrastructure.Polling;

namespace Focus.IntegrationTests.Control;

/// <summary>Bounded memory: ended jobs are forgotten after the retention, unknown ids leave nothing, the registry's record follows its active jobs.</summary>
[Collection(ControlPlaneCollection.Name)]
public sealed class RetentionTests(ControlPlaneCluster cluster)
{
    [Fact]
    public async Task An_ended_job_is_kept_for_the_retention_then_forgotten_with_its_record()
    {
        var jobId = (await cluster.Create("retention-kept")).Job!.JobId;
        var job = cluster.Grains.GetGrain<IJobGrain>(jobId);
        var stored = cluster.Storage.Read<JobState>("job", jobId)!;
        Assert.Equal(513, stored.Status!.Parameters!.FrequenciesAmount);

        Assert.Equal(JobPhase.Cancelled, (await job.Cancel())!.Phase);
        cluster.Clock.Advance(ControlPlaneCluster.Retention / 2);
        Assert.Equal(JobPhase.Cancelled, (await job.GetStatus())!.Phase);
        Assert.True(cluster.Storage.Holds("job", jobId));

        cluster.Clock.Advance(ControlPlaneCluster.Retention);
        Assert.Null(await job.GetStatus());
        Assert.Null(await job.Cancel());
        await Until(() => !cluster.Storage.Holds("job", jobId), $"job {jobId}'s record is deleted after its retention");
        await cluster.AssertNothingHeld("after a cancelled job was forgotten");
    }

    [Fact]
    public async Task An_ended_job_whose_record_write_lost_its_answer_is_written_again_and_goes()
    {
        // The final record lands but its answer is lost (PostgreSQL cut after the commit): the activation holds the
        // ETag from before, retries on its timer, and must go over the stored version rather than be refused for ever.
        var jobId = (await cluster.Create("retention-lost-answer")).Job!.JobId;
        var job = cluster.Grains.GetGrain<IJobGrain>(jobId);
        cluster.Storage.LoseWriteAnswers = 1;
        try
        {
            Assert.Equal(JobPhase.Cancelled, (await job.Cancel())!.Phase);
            Assert.Equal(0, cluster.Storage.LoseWriteAnswers);
        }
        finally
        {
            cluster.Storage.LoseWriteAnswers = 0;
        }
        Assert.Equal(1, await cluster.JobActivations([jobId])); // kept by its write retry

        cluster.Clock.Advance(TimeSpan.FromSeconds(6)); // the retry's period
        // Handed to its retention sweep (which may already have forgotten it: the retention is 2 s).
        await Until(() => cluster.Storage.All<RetentionSweepState>("retention").Any(s => s.JobIds.Contains(jobId)) || !cluster.Storage.Holds("job", jobId),
            "the rewritten job is handed to its retention sweep");
        var left = 1;
        await Eventually(async () => (left = await cluster.JobActivations([jobId])) == 0,
            () => "the ended job's activation goes once its record is written", TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(50));

        Assert.Null(await job.GetStatus()); // due: forgotten, over the right ETag
        await Until(() => !cluster.Storage.Holds("job", jobId), $"job {jobId}'s record is deleted after its retention");
        await cluster.AssertNothingHeld("after the job was forgotten");
    }

    [Fact]
    public async Task Ended_jobs_nobody_reads_are_forgotten_by_one_retention_sweep_without_a_reminder_each()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var jobId = (await cluster.Create($"retention-sweep-{i}")).Job!.JobId;
            await cluster.Grains.GetGrain<IJobGrain>(jobId).Cancel();
            ids.Add(jobId);
        }
        foreach (var jobId in ids)
            Assert.Empty((await cluster.Reminders.ReadRows(cluster.Grains.GetGrain<IJobGrain>(jobId).GetGrainId())).Reminders);
        Assert.True(cluster.Storage.Records("retention") > 0, "the ended jobs are in a retention slice's record");
        cluster.Clock.Advance(ControlPlaneCluster.Retention * 2);

        // No call on the jobs from here: only the sweep can delete their records (asked again a minute later when its
        // first tick came before the clock moved).
        await Until(() => ids.All(id => !cluster.Storage.Holds("job", id)), "the ended jobs' records are deleted by the retention sweep", TimeSpan.FromSeconds(90));
        await Until(() => cluster.Storage.Records("retention") == 0, "the retention slices delete their own records once their jobs are forgotten", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_retention_reminder_left_by_an_older_version_forgets_its_job_and_goes()
    {
        var jobId = (await cluster.Create("retention-legacy")).Job!.JobId;
        var job = cluster.Grains.GetGrain<IJobGrain>(jobId);
        await job.Cancel();
        var grainId = job.GetGrainId();
        await cluster.Reminders.UpsertRow(new ReminderEntry
        {
            GrainId = grainId, ReminderName = "retention", StartAt = DateTime.UtcNow.AddHours(1), Period = TimeSpan.FromHours(1),
        });

        var remindable = cluster.Grains.GetGrain<IRemindable>(grainId);
        await remindable.ReceiveReminder("retention", new TickStatus(DateTime.UtcNow, TimeSpan.FromHours(1), DateTime.UtcNow));
        Assert.True(cluster.Storage.Holds("job", jobId), "not due yet: the job and its reminder stay");
        Assert.NotEmpty((await cluster.Reminders.ReadRows(grainId)).Reminders);

        cluster.Clock.Advance(ControlPlaneCluster.Retention * 2);
        await remindable.ReceiveReminder("retention", new TickStatus(DateTime.UtcNow, TimeSpan.FromHours(1), DateTime.UtcNow));
        Assert.False(cluster.Storage.Holds("job", jobId));
        Assert.Empty((await cluster.Reminders.ReadRows(grainId)).Reminders);
    }

    [Fact]
    public async Task Calls_on_unknown_ids_leave_no_activation_and_no_record()
    {
        var ids = Enumerable.Range(0, 200).Select(i => $"{900_000 + i}-{Random.Shared.Next(1000, 10000)}").ToList();
        foreach (var id in ids)
        {
            var job = cluster.Grains.GetGrain<IJobGrain>(id);
            Assert.Null(await job.GetStatus());
            Assert.Null(await job.Cancel());
            Assert.False(await job.HoldsStream());
            Assert.Null(await job.Drain("test"));
        }

        var left = ids.Count;
        await Eventually(async () => (left = await cluster.JobActivations(ids)) == 0,
            () => $"{left} of {ids.Count} unknown-id activations are still there", TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(50));
        Assert.DoesNotContain(ids, id => cluster.Storage.Holds("job", id));
    }

    [Fact]
    public async Task The_registry_record_holds_only_active_jobs_and_their_keys()
    {
        var created = new List<string>();
        for (var i = 0; i < 5; i++)
            created.Add((await cluster.Create($"registry-{i}", ControlPlaneCluster.Live(min: 10 + i, max: 10 + i), idempotencyKey: $"registry-key-{i}")).Job!.JobId);
        foreach (var jobId in created.Skip(1)) await cluster.Grains.GetGrain<IJobGrain>(jobId).Cancel();

        await Until(() => cluster.Storage.Read<JobRegistryState>("registry", JobRegistryKey.Value) is { Jobs.Count: 1, Keys.Count: 1 } record
                && record.Jobs[0].Summary.JobId == created[0] && record.Keys[0].JobId == created[0],
            "the registry's record keeps the one active job and its key");

        await cluster.Grains.GetGrain<IJobGrain>(created[0]).Cancel();
        await Until(() => cluster.Storage.Read<JobRegistryState>("registry", JobRegistryKey.Value) is { Jobs.Count: 0, Keys.Count: 0 },
            "the registry's record is empty with no active job");
        await cluster.AssertNothingHeld("after every job was cancelled");
    }

    [Fact]
    public async Task An_idempotency_key_answers_the_same_job_until_the_job_is_forgotten()
    {
        var request = ControlPlaneCluster.Live(min: 30, max: 31);
        var first = (await cluster.Create("keys", request, idempotencyKey: "key-expires")).Job!;
        Assert.Equal(first.JobId, (await cluster.Create("keys", request, idempotencyKey: "key-expires")).Job!.JobId);
        await cluster.Grains.GetGrain<IJobGrain>(first.JobId).Cancel();
        Assert.Equal(first.JobId, (await cluster.Create("keys", request, idempotencyKey: "key-expires")).Job!.JobId);

        cluster.Clock.Advance(ControlPlaneCluster.Retention * 2);
        Assert.Null(await cluster.Grains.GetGrain<IJobGrain>(first.JobId).GetStatus());
        var again = (await cluster.Create("keys", request, idempotencyKey: "key-expires")).Job!;
        Assert.NotEqual(first.JobId, again.JobId);
        await cluster.Grains.GetGrain<IJobGrain>(again.JobId).Cancel();
        await cluster.AssertNothingHeld("after the keyed jobs were cancelled");
    }

    private static Task Until(Func<bool> condition, string what, TimeSpan? within = null) =>
        Eventually(condition, what, within ?? TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(50));
}
