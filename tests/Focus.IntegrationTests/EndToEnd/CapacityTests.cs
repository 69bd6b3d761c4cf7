using System.Diagnostics;
using System.Net;
using Focus.Analyzer.Pipeline;
using Focus.Grains.Analyzers;
using Focus.IntegrationTests.Infrastructure;
using Orleans;
using Orleans.Runtime;
using static Focus.IntegrationTests.Infrastructure.Polling;

namespace Focus.IntegrationTests.EndToEnd;

[Collection(ServiceCollection.Name)]
public sealed class CapacityTests(FocusService service)
{
    [Fact]
    public async Task Two_hundred_jobs_run_the_201st_is_refused_and_deleting_them_leaves_nothing()
    {
        var http = service.Http;
        var threadsBefore = Process.GetCurrentProcess().Threads.Count;
        var ids = new System.Collections.Concurrent.ConcurrentBag<string>();
        try
        {
            // 20 clients create 200 jobs at once.
            await Parallel.ForEachAsync(Enumerable.Range(0, 200), new ParallelOptions { MaxDegreeOfParallelism = 20 }, async (i, _) =>
            {
                var job = await http.Configure(FocusApi.LiveBody(min: 1 + i * 10, max: 1 + i * 10 + 9 > 2222 ? 2222 : 1 + i * 10 + 9));
                ids.Add((string)job["job_id"]!);
            });
            Assert.Equal(200, ids.Distinct().Count());
            Assert.Equal(200, service.Get<IAnalyzerHost>().RunningJobs);

            using var refused = await http.PostJson("configure", FocusApi.LiveBody().ToJsonString());
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);

            // A few of them stream for real while all are up.
            var some = ids.Take(3).ToList();
            foreach (var id in some)
            {
                var metadata = await http.Metadata(id);
                using var channel = FocusApi.Channel(metadata);
                using var call = FocusApi.Stream(channel, 0);
                await call.ReadLines(3);
            }
        }
        finally
        {
            await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 20 }, async (id, _) => await http.Delete(id));
        }

        Assert.Equal(0, service.Get<StreamPortPool>().InUse);
        Assert.Equal(0, service.Get<IAnalyzerHost>().RunningJobs);
        var management = service.Get<IGrainFactory>().GetGrain<IManagementGrain>(0);
        var workers = 0;
        await Eventually(async () => (workers = (await management.GetSimpleGrainStatistics())
                .Where(s => s.GrainType.Contains("AnalyzerWorker")).Sum(s => s.ActivationCount)) == 0,
            () => $"{workers} analyzer workers are still active", TimeSpan.FromSeconds(30));

        // Threads come back to about where they were (the pool may keep a few warm).
        await Eventually(() => Process.GetCurrentProcess().Threads.Count <= threadsBefore + 20,
            $"the process has at most {threadsBefore + 20} threads again", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(250));
    }
}
