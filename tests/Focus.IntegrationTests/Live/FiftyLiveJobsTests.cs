using System.Diagnostics;
using System.Text.Json.Nodes;
using Focus.Analyzer.Pipeline;
using Focus.Analyzer.Sources.RabbitMq;
using Focus.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Focus.IntegrationTests.Live;

[Collection(LiveCollection.Name)]
public sealed class FiftyLiveJobsTests(LiveService service, ITestOutputHelper output)
{
    /// <summary>
    /// Jobs of 10 channels (nfft 256, 100 lines/s) on overlapping ranges, added 10 at a time up to 50; after each
    /// step every job reads for 4 s. Prints, per step, the chunks dropped and the process CPU per job (consumer,
    /// pipeline and gRPC together; the in-process recorder is a constant share): docs/PERFORMANCE.md.
    /// </summary>
    [Fact]
    public async Task Fifty_live_jobs_on_overlapping_channels_all_stream_and_leave_no_queue_behind()
    {
        var http = service.Http;
        var jobs = new List<(JsonObject Job, int Max)>();
        var source = service.Get<RabbitMqLiveSource>();
        output.WriteLine("jobs  dropped chunks  holes  lines/s  process CPU (cores)  CPU per job (cores)  broker CPU (cores)");
        try
        {
            for (var step = 1; step <= 5; step++)
            {
                var added = new System.Collections.Concurrent.ConcurrentBag<(JsonObject, int)>();
                await Parallel.ForEachAsync(Enumerable.Range(jobs.Count, 10), new ParallelOptions { MaxDegreeOfParallelism = 10 }, async (i, _) =>
                {
                    var min = 1 + i * 37 % 240;
                    added.Add((await http.Configure(FocusApi.LiveBody(min: min, max: min + 9, nfft: 256)), min + 9));
                });
                jobs.AddRange(added);

                // Every job gets its first message, then all read together for 4 s.
                var firstSeen = 0;
                var go = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
                long dropped = 0, holes = 0, lines = 0;
                TimeSpan cpu = default;
                double brokerCpu = 0;
                var watch = new Stopwatch();
                using var readFor = new CancellationTokenSource();
                await Parallel.ForEachAsync(jobs, new ParallelOptions { MaxDegreeOfParallelism = jobs.Count }, async (job, failed) =>
                {
                    using var channel = FocusApi.Channel(job.Job);
                    using var call = FocusApi.Stream(channel, 9);
                    var first = await call.Next(); // every job streams its last channel
                    Assert.Equal(job.Max, first.StartChannel);
                    if (Interlocked.Increment(ref firstSeen) == jobs.Count)
                    {
                        dropped = source.Inputs.Sum(i => i.Dropped);
                        holes = source.Inputs.Sum(i => i.Holes);
                        cpu = Process.GetCurrentProcess().TotalProcessorTime;
                        brokerCpu = await TestBroker.CpuSeconds();
                        watch.Start();
                        readFor.CancelAfter(TimeSpan.FromSeconds(4));
                        go.SetResult(readFor.Token);
                    }
                    var token = await go.Task.WaitAsync(failed); // another job failing ends the wait
                    try
                    {
                        while (await call.ResponseStream.MoveNext(token))
                            Interlocked.Add(ref lines, call.ResponseStream.Current.DataShapeY);
                    }
                    catch (Exception ex) when (token.IsCancellationRequested && ex is Grpc.Core.RpcException or OperationCanceledException)
                    {
                    }
                });
                var seconds = watch.Elapsed.TotalSeconds;
                var brokerCores = (await TestBroker.CpuSeconds() - brokerCpu) / seconds;
                var cores = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds / seconds;
                output.WriteLine($"{jobs.Count,4}  {source.Inputs.Sum(i => i.Dropped) - dropped,14}  {source.Inputs.Sum(i => i.Holes) - holes,5}  " +
                                 $"{lines / seconds,7:F0}  {cores,19:F2}  {cores / jobs.Count,19:F3}  {brokerCores,18:F2}");
            }
            var queues = (await TestBroker.Queues()).Keys.ToHashSet();
            Assert.All(jobs, j => Assert.Contains(PrismaTopology.JobQueue((string)j.Job["job_id"]!), queues));
        }
        finally
        {
            await Parallel.ForEachAsync(jobs, new ParallelOptions { MaxDegreeOfParallelism = 10 }, async (job, _) => await http.Delete((string)job.Job["job_id"]!));
        }
        var left = (await TestBroker.Queues()).Keys.ToHashSet();
        Assert.DoesNotContain(jobs, j => left.Contains(PrismaTopology.JobQueue((string)j.Job["job_id"]!)));
        Assert.Equal(0, source.AttachedJobs);
        Assert.Equal(0, service.Get<IAnalyzerHost>().RunningJobs);
    }
}
