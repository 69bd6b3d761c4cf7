using System.Text.Json.Nodes;
using Focus.Analyzer.Sources.RabbitMq;
using Focus.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Focus.IntegrationTests.Live;

[Collection(LiveCollection.Name)]
public sealed class UnreadJobsTests(LiveService service, ITestOutputHelper output)
{
    private const int Jobs = 50;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(5);

    /// <summary>
    /// 50 full-fiber WATERFALL jobs nobody reads cost the broker nothing per chunk: their queues are bound to their
    /// command keys only and receive no chunk. Prints the broker's CPU with the jobs unread and then all read
    /// (docs/RELIABILITY.md): the second is what every unread job cost before data bindings followed readers.
    /// </summary>
    [Fact]
    public async Task Fifty_unread_full_fiber_jobs_bind_and_receive_no_chunk()
    {
        var http = service.Http;
        var source = service.Get<RabbitMqLiveSource>();
        var jobs = new System.Collections.Concurrent.ConcurrentBag<JsonObject>();
        try
        {
            var idle = await BrokerCores();
            await Parallel.ForEachAsync(Enumerable.Range(0, Jobs), new ParallelOptions { MaxDegreeOfParallelism = 10 }, async (_, _) =>
                jobs.Add(await http.Configure(FocusApi.WaterfallBody(min: 1, max: LiveService.Channels))));
            var ids = jobs.Select(j => (string)j["job_id"]!).ToHashSet();
            var inputs = source.Inputs.Where(i => ids.Contains(i.JobId)).ToList();
            Assert.Equal(Jobs, inputs.Count);

            var unread = await BrokerCores();
            Assert.All(inputs, i => Assert.Empty(i.BoundBlocks));
            Assert.All(inputs, i => Assert.Equal(0, i.ChunksDelivered));
            foreach (var job in jobs.Take(3))
                Assert.Equal([PrismaTopology.CommandRoutingKey((string)job["job_id"]!)], await TestBroker.Bindings(PrismaTopology.JobQueue((string)job["job_id"]!)));

            // Now every job is read: each queue is bound to the fiber's 4 blocks and receives every chunk.
            using var stop = new CancellationTokenSource();
            var calls = jobs.Select(job => Task.Run(async () =>
            {
                using var channel = FocusApi.Channel(job);
                using var call = FocusApi.Stream(channel, 0, stop.Token);
                try
                {
                    while (await call.ResponseStream.MoveNext(stop.Token)) { }
                }
                catch (Exception) when (stop.IsCancellationRequested)
                {
                }
            })).ToList();
            await TestBroker.Eventually(() => Task.FromResult(inputs.All(i => i.ChunksDelivered > 0)), "every read job receives chunks", TimeSpan.FromSeconds(60));
            var read = await BrokerCores();
            stop.Cancel();
            await Task.WhenAll(calls);

            output.WriteLine($"broker CPU (cores) over {Window.TotalSeconds} s: no job {idle:F2}; {Jobs} unread full-fiber jobs {unread:F2}; the same jobs read {read:F2}");
        }
        finally
        {
            await Parallel.ForEachAsync(jobs, new ParallelOptions { MaxDegreeOfParallelism = 10 }, async (job, _) => await http.Delete((string)job["job_id"]!));
        }
    }

    private static async Task<double> BrokerCores()
    {
        var before = await TestBroker.CpuSeconds();
        var started = DateTime.UtcNow;
        await Task.Delay(Window); // a measurement window, not a wait for a condition
        var after = await TestBroker.CpuSeconds();
        return (after - before) / (DateTime.UtcNow - started).TotalSeconds;
    }
}
