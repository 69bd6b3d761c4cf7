using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Focus.IntegrationTests.Infrastructure;
using Grpc.Core;
using Xunit.Abstractions;

namespace Focus.IntegrationTests.Cluster;

/// <summary>
/// CONTRACT §5 on a real cluster: three silo processes on PostgreSQL, two gateway processes, clients
/// on loopback. Each test starts from three running silos and leaves no job behind.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ScaleOutTests(FocusCluster cluster, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan LossDeadline = TimeSpan.FromSeconds(15);

    public Task InitializeAsync() => cluster.EnsureAllSilosUpAsync();

    public async Task DisposeAsync()
    {
        // Whatever a test left: cancel every active job (freeing every slot and port) for the next test.
        var http = cluster.Gateways[0];
        await FocusCluster.WaitUntilAsync(async () =>
        {
            var rows = await Rows(http);
            await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = 10 }, async (row, _) =>
            {
                using var response = await http.DeleteAsync($"job/{(string)row["job_id"]!}");
            });
            return rows.Count == 0;
        }, TimeSpan.FromSeconds(90), () => "jobs are left after the test\n" + cluster.Tails());
    }

    [Fact]
    public async Task Two_hundred_jobs_spread_over_silos_and_a_killed_silo_fails_only_its_own_jobs()
    {
        output.WriteLine($"cluster ready in {cluster.StartedIn.TotalSeconds:F1} s");

        // 200 live jobs through two gateway processes, 20 clients at once.
        var jobs = new ConcurrentBag<JsonObject>();
        var latencies = new ConcurrentBag<double>();
        var creating = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, FocusCluster.MaxConcurrent), new ParallelOptions { MaxDegreeOfParallelism = 20 }, async (i, _) =>
        {
            var started = Stopwatch.GetTimestamp();
            jobs.Add(await cluster.Gateways[i % 2].Configure(SlowLiveBody(i)));
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        });
        output.WriteLine($"200 jobs created in {creating.Elapsed.TotalSeconds:F1} s; /configure p50 {Percentile(latencies, 50):F0} ms, p99 {Percentile(latencies, 99):F0} ms");
        Assert.Equal(200, jobs.Select(j => (string)j["job_id"]!).Distinct().Count());

        using (var refused = await cluster.Gateways[1].PostJson("configure", SlowLiveBody(0).ToJsonString()))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);
        }

        // Spread: every silo holds some, none more than 45%, and each job streams from its silo's host and port block.
        var rows = await Rows(cluster.Gateways[0]);
        Assert.Equal(200, rows.Count);
        var perSilo = rows.GroupBy(r => (string)r["silo"]!).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine("jobs per silo: " + string.Join(", ", perSilo.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}")));
        Assert.Equal(3, perSilo.Count);
        Assert.All(perSilo.Values, count => Assert.InRange(count, 1, 90));
        foreach (var job in jobs)
        {
            var row = rows.Single(r => (string)r["job_id"]! == (string)job["job_id"]!);
            var slot = cluster.SiloNamed((string)row["silo"]!);
            Assert.Equal("127.0.0.1", (string)job["stream_url"]!);
            Assert.InRange((int)job["stream_port"]!, slot.StreamPorts.First, slot.StreamPorts.Last);
        }

        // Every job streams.
        await Parallel.ForEachAsync(jobs, new ParallelOptions { MaxDegreeOfParallelism = 20 }, async (job, _) =>
        {
            using var channel = FocusApi.Channel(job);
            using var call = FocusApi.Stream(channel, 0);
            await call.Next();
        });

        // Readers on the jobs of the two silos that stay, reading while the third dies.
        var victim = cluster.Silos[2];
        var victimJobs = rows.Where(r => (string)r["silo"]! == victim.Name).Select(r => (string)r["job_id"]!).ToList();
        var survivors = rows.Where(r => (string)r["silo"]! != victim.Name)
            .GroupBy(r => (string)r["silo"]!).SelectMany(g => g.Take(2)).Select(r => (string)r["job_id"]!).ToList();
        await using var readers = new ContinuousReaders(survivors.Select(id => jobs.Single(j => (string)j["job_id"]! == id)));
        await readers.WaitForLinesAsync(3);

        var killedAt = Stopwatch.StartNew();
        cluster.KillSilo(victim.Index);

        // Within 15 s: its slots are free (the listing drops them) and every one of its jobs is failed, with the reason.
        // (A request in flight to the lost silo may answer 503 meanwhile: that is an answer, not a hang.)
        await FocusCluster.WaitUntilAsync(async () => await TryRows(cluster.Gateways[1]) is { } left && left.All(r => (string)r["silo"]! != victim.Name),
            LossDeadline, () => "the dead silo's jobs still hold their slots\n" + cluster.Tails());
        var slotsFreedAfter = killedAt.Elapsed;
        var failed = new ConcurrentDictionary<string, string>();
        await FocusCluster.WaitUntilAsync(async () =>
        {
            await Parallel.ForEachAsync(victimJobs.Where(id => !failed.ContainsKey(id)), new ParallelOptions { MaxDegreeOfParallelism = 10 }, async (id, _) =>
            {
                using var response = await cluster.Gateways[0].GetAsync($"metadata/{id}");
                if (response.StatusCode != HttpStatusCode.OK) return;
                var metadata = await response.Json();
                if ((string?)metadata["state"] == "failed") failed[id] = (string?)metadata["failure_reason"] ?? "";
            });
            return failed.Count == victimJobs.Count;
        }, LossDeadline + TimeSpan.FromSeconds(10), () => $"{failed.Count} of {victimJobs.Count} jobs of the dead silo are failed\n" + cluster.Tails());
        var failedAfter = killedAt.Elapsed;
        output.WriteLine($"kill -9 {victim.Name} ({victimJobs.Count} jobs): slots free after {slotsFreedAfter.TotalSeconds:F1} s, all failed after {failedAfter.TotalSeconds:F1} s");
        Assert.True(failedAfter < LossDeadline, $"the jobs of the dead silo took {failedAfter.TotalSeconds:F1} s to fail");
        Assert.All(failed.Values, reason => Assert.Equal($"silo {victim.Name} lost", reason));
        Assert.Equal(200 - victimJobs.Count, (await Rows(cluster.Gateways[0])).Count);

        // The gateways keep answering and new jobs land on the survivors.
        for (var i = 0; i < 4; i++)
        {
            var job = await cluster.Gateways[i % 2].Configure(SlowLiveBody(i));
            Assert.NotEqual(victim.Name, await SiloOf(job));
        }

        // The survivors' readers lost no line: row_index is continuous across the kill.
        await readers.WaitForLinesAsync(readers.MinLines() + 10);
        readers.AssertContinuous();

        // Restarted, it rejoins and takes new jobs (it is the least loaded now).
        await cluster.StartSiloAsync(victim.Index);
        var landed = false;
        await FocusCluster.WaitUntilAsync(async () =>
        {
            landed = await SiloOf(await cluster.Gateways[0].Configure(SlowLiveBody(7))) == victim.Name;
            return landed;
        }, TimeSpan.FromSeconds(30), () => "the restarted silo took no new job");
    }

    [Fact]
    public async Task Three_hundred_concurrent_configures_admit_exactly_the_limit()
    {
        // All at once, through both gateways: exactly MaxConcurrent succeed, the rest are 503 with Retry-After.
        var answers = await Task.WhenAll(Enumerable.Range(0, 300).Select(async i =>
        {
            using var response = await cluster.Gateways[i % 2].PostJson("configure", SlowLiveBody(i).ToJsonString());
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable) Assert.NotNull(response.Headers.RetryAfter);
            return (response.StatusCode, Detail: response.StatusCode == HttpStatusCode.OK ? "" : (string?)(await response.Json())["detail"]);
        }));
        var byStatus = answers.GroupBy(a => a.StatusCode).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine("answers: " + string.Join(", ", byStatus.Select(p => $"{(int)p.Key}: {p.Value}")));
        foreach (var detail in answers.Where(a => a.Detail != "").GroupBy(a => a.Detail))
            output.WriteLine($"  {detail.Count()} x {detail.Key}");
        Assert.Equal(FocusCluster.MaxConcurrent, byStatus.GetValueOrDefault(HttpStatusCode.OK));
        Assert.Equal(300 - FocusCluster.MaxConcurrent, byStatus.GetValueOrDefault(HttpStatusCode.ServiceUnavailable));
        Assert.Equal(FocusCluster.MaxConcurrent, (await Rows(cluster.Gateways[1])).Count);
    }

    [Fact]
    public async Task A_graceful_shutdown_drains_its_jobs_with_cancelled_streams_and_others_go_on()
    {
        var jobs = new List<JsonObject>();
        for (var i = 0; i < 6; i++) jobs.Add(await cluster.Gateways[i % 2].Configure(SlowLiveBody(i)));
        var silos = new Dictionary<string, string>();
        foreach (var job in jobs) silos[(string)job["job_id"]!] = await SiloOf(job);

        var leaving = cluster.Silos[1];
        var drained = jobs.Where(j => silos[(string)j["job_id"]!] == leaving.Name).ToList();
        var staying = jobs.Where(j => silos[(string)j["job_id"]!] != leaving.Name).ToList();
        Assert.NotEmpty(drained);
        Assert.NotEmpty(staying);

        using var drainedChannel = FocusApi.Channel(drained[0]);
        using var drainedCall = FocusApi.Stream(drainedChannel, 0);
        await drainedCall.Next();
        await using var readers = new ContinuousReaders(staying.Take(2));
        await readers.WaitForLinesAsync(3);

        var stopping = Stopwatch.StartNew();
        Assert.Equal(0, await cluster.StopSiloAsync(leaving.Index));
        output.WriteLine($"{leaving.Name} with {drained.Count} jobs stopped (SIGTERM) in {stopping.Elapsed.TotalSeconds:F1} s");

        // Its streams ended CANCELLED; its jobs are cancelled with the reason; their slots are free.
        var ended = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await drainedCall.ResponseStream.MoveNext().WaitAsync(FocusApi.Deadline)) { }
        });
        Assert.Equal(StatusCode.Cancelled, ended.StatusCode);
        foreach (var job in drained)
        {
            var metadata = await cluster.Gateways[0].Metadata((string)job["job_id"]!);
            Assert.Equal("cancelled", (string?)metadata["state"]);
            Assert.Equal($"silo {leaving.Name} shut down", (string?)metadata["failure_reason"]);
        }
        Assert.DoesNotContain(await Rows(cluster.Gateways[1]), r => (string)r["silo"]! == leaving.Name);

        // The others go on without a missing line, and new jobs go elsewhere.
        Assert.NotEqual(leaving.Name, await SiloOf(await cluster.Gateways[1].Configure(SlowLiveBody(9))));
        await readers.WaitForLinesAsync(readers.MinLines() + 5);
        readers.AssertContinuous();
    }

    [Fact]
    public async Task Configure_through_a_standalone_gateway_answers_quickly()
    {
        // One client, one request at a time: the latency a user sees (the 20-client figure is in the 200-job test).
        // The first requests are not counted: each silo JITs its job-start path on its first jobs, and another test
        // of this class may just have restarted a silo.
        const int warmup = 10, measured = 100;
        var latencies = new List<double>();
        for (var i = 0; i < warmup + measured; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var job = await cluster.Gateways[i % 2].Configure(SlowLiveBody(i));
            if (i >= warmup) latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            await cluster.Gateways[i % 2].Delete((string)job["job_id"]!);
        }
        var p50 = Percentile(latencies, 50);
        var p99 = Percentile(latencies, 99);
        output.WriteLine($"/configure through a standalone gateway, sequential: p50 {p50:F0} ms, p95 {Percentile(latencies, 95):F0} ms, " +
            $"p99 {p99:F0} ms, max {latencies.Max():F0} ms ({measured} requests after {warmup} not counted)");
        Assert.True(p99 < 5000, $"/configure p99 {p99:F0} ms");
    }

    /// <summary>10 lines/s (30 s over 300 lines), 5 channels: cheap enough for 200 at once on a small machine.</summary>
    private static JsonObject SlowLiveBody(int i)
    {
        var min = 1 + i * 10 % 2200;
        return FocusApi.LiveBody(min: min, max: min + 4, height: 300, duration: 30, nfft: 256);
    }

    private async Task<string> SiloOf(JsonObject job)
    {
        var metadata = await cluster.Gateways[0].Metadata((string)job["job_id"]!);
        return (string)metadata["resources"]!["silo"]!;
    }

    private static async Task<List<JsonObject>?> TryRows(HttpClient http)
    {
        using var response = await http.GetAsync("jobs");
        return response.StatusCode == HttpStatusCode.OK ? [.. (await response.Json())["jobs"]!.AsArray().Select(r => r!.AsObject())] : null;
    }

    private static async Task<List<JsonObject>> Rows(HttpClient http)
    {
        using var response = await http.GetAsync("jobs");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.Json())["jobs"]!.AsArray().Select(r => r!.AsObject())];
    }

    private static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
