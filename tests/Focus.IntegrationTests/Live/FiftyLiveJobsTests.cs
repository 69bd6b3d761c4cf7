using Focus.Analyzer.Pipeline;
using Focus.Analyzer.Sources.RabbitMq;
using Focus.IntegrationTests.Infrastructure;

namespace Focus.IntegrationTests.Live;

[Collection(LiveCollection.Name)]
public sealed class FiftyLiveJobsTests(LiveService service, Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Fifty_live_jobs_on_overlapping_channels_all_stream_and_leave_no_queue_behind()
    {
        var http = service.Http;
        var jobs = new System.Collections.Concurrent.ConcurrentBag<(System.Text.Json.Nodes.JsonObject Job, int Max)>();
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, 50), new ParallelOptions { MaxDegreeOfParallelism = 10 }, async (i, _) =>
            {
                var min = 1 + i * 37 % 240;
                jobs.Add((await http.Configure(FocusApi.LiveBody(min: min, max: min + 9, nfft: 256)), min + 9));
            });
            var queues = (await TestBroker.Queues()).Keys.Where(q => q.EndsWith("_live", StringComparison.Ordinal)).ToHashSet();
            Assert.Equal(jobs.Select(j => PrismaTopology.JobQueue((string)j.Job["job_id"]!)).ToHashSet(), queues);

            // Every job streams at once.
            await Parallel.ForEachAsync(jobs, new ParallelOptions { MaxDegreeOfParallelism = 50 }, async (job, _) =>
            {
                using var channel = FocusApi.Channel(job.Job);
                using var call = FocusApi.Stream(channel, 9);
                var lines = await call.ReadLines(30);
                Assert.All(lines, l => Assert.True(job.Max == l.Message.StartChannel, $"stream 9 of {job.Job["job_id"]} (max {job.Max}) carries channel {l.Message.StartChannel}"));
            });
            // On a shared 2-core machine the broker and 50 pipelines compete for CPU; with this fixture's 1 MB queues
            // (about 2 s of a block) a job that falls behind drops its oldest chunks, counted, rather than lagging.
            var inputs = service.Get<RabbitMqLiveSource>().Inputs.ToList();
            output.WriteLine($"dropped {inputs.Sum(i => i.Dropped)} chunks, {inputs.Sum(i => i.Holes)} holes over {inputs.Count} jobs");
        }
        finally
        {
            await Parallel.ForEachAsync(jobs, new ParallelOptions { MaxDegreeOfParallelism = 10 }, async (job, _) => await http.Delete((string)job.Job["job_id"]!));
        }
        Assert.DoesNotContain((await TestBroker.Queues()).Keys, q => q.EndsWith("_live", StringComparison.Ordinal));
        Assert.Equal(0, service.Get<RabbitMqLiveSource>().AttachedJobs);
        Assert.Equal(0, service.Get<IAnalyzerHost>().RunningJobs);
    }
}
