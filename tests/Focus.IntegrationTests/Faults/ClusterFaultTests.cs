using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Focus.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Focus.IntegrationTests.Faults;

/// <summary>
/// Faults on the PostgreSQL cluster (issue 13): three real silo processes on a PostgreSQL of their own, clients creating
/// and ending jobs without pause, and PostgreSQL stopped or a silo killed in the middle. Every call answers (a 5xx is
/// an answer; a hang is not), and once the cluster has recovered it holds exactly what it lists: the registry's active
/// jobs are the jobs holding a stream, each with a running worker and its port listening on its silo, and nothing else
/// listens or runs. All waits are deadlines, long enough for a loaded 2-core machine.
/// </summary>
[Collection(FaultClusterCollection.Name)]
public sealed class ClusterFaultTests(FaultCluster cluster, ITestOutputHelper output) : IAsyncLifetime
{
    private const int Lanes = 6;
    private static readonly TimeSpan RecoveryDeadline = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan BurstDeadline = TimeSpan.FromSeconds(90);

    public Task InitializeAsync() => cluster.EnsureWholeAsync();

    public async Task DisposeAsync()
    {
        // Whatever a test left: PostgreSQL and every silo up, every active job cancelled, nothing held.
        await cluster.EnsureWholeAsync();
        ClusterCensus? last = null;
        await FaultCluster.Eventually(async () =>
        {
            if (await ClusterCensus.TakeAsync(cluster) is not { } census) return false;
            last = census;
            await Parallel.ForEachAsync(census.Registry.Union(census.Jobs.Keys), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, _) =>
            {
                try
                {
                    using var response = await cluster.Http[0].DeleteAsync($"job/{id}");
                }
                catch (HttpRequestException)
                {
                }
            });
            return census is { IsConsistent: true, Registry.Count: 0, Ports: 0 };
        }, RecoveryDeadline, () => $"jobs are left after the test (the census last)\n{cluster.Tails()}\n--- census ---\n{last}");
    }

    [Fact]
    public async Task PostgreSQL_stopped_mid_burst_and_started_again_leaves_the_registry_the_jobs_the_workers_and_the_ports_in_agreement()
    {
        // Jobs that run across the outage; some are ended while PostgreSQL is down.
        var running = new List<string>();
        for (var i = 0; i < 6; i++) running.Add((string)(await cluster.Http[i % 3].Configure(Body(1000 + i)))["job_id"]!);

        await using var burst = new ConfigureBurst(cluster.Http, Lanes);
        await burst.WaitForAnswersAsync(20, BurstDeadline);

        var outage = Stopwatch.StartNew();
        burst.Phase = "outage";
        await cluster.Postgres.StopAsync("immediate");
        output.WriteLine("PostgreSQL stopped (immediate: as a crash)");

        var endedInOutage = new Dictionary<string, HttpStatusCode>();
        foreach (var id in running.Take(3))
        {
            using var response = await cluster.Http[1].DeleteAsync($"job/{id}");
            endedInOutage[id] = response.StatusCode;
        }
        // A job no silo holds must be read from the store, which is down: 503 + Retry-After, never a 500.
        foreach (var (method, path) in new[] { (HttpMethod.Get, "metadata/999999-7"), (HttpMethod.Delete, "job/999999-7") })
        {
            using var response = await cluster.Http[2].SendAsync(new HttpRequestMessage(method, path));
            var body = await response.Content.ReadAsStringAsync();
            output.WriteLine($"{method} {path} while PostgreSQL was down: {(int)response.StatusCode} {body}");
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{method} {path}: {(int)response.StatusCode} {body}\n{cluster.Tails(200)}");
            Assert.NotNull(response.Headers.RetryAfter);
        }
        await burst.WaitForAnswersAsync(20, BurstDeadline);
        while (outage.Elapsed < TimeSpan.FromSeconds(8)) await Task.Delay(200);

        burst.Phase = "after";
        await cluster.Postgres.RestartAsync();
        output.WriteLine($"PostgreSQL started again after {outage.Elapsed.TotalSeconds:F1} s down");
        // Clients get jobs again once the silos' connections are back.
        await FaultCluster.Eventually(() => Task.FromResult(burst.AnyCreatedIn("after")), BurstDeadline,
            () => "no job was created after PostgreSQL came back\n" + burst.Summary() + "\n" + cluster.Tails());
        await burst.WaitForAnswersAsync(20, BurstDeadline);
        await burst.StopAsync();
        output.WriteLine($"answers:\n{burst.Summary()}");
        output.WriteLine("DELETE while PostgreSQL was down: " + string.Join(", ", endedInOutage.Select(e => $"{e.Key} {(int)e.Value}")));

        AssertEveryCallAnswered(burst);
        // The store unreachable is the contract's 503 wherever it shows (the registry, a job's grain, the gateway).
        Assert.DoesNotContain(burst.Answers, a => a.Answer == "500");
        Assert.DoesNotContain(HttpStatusCode.InternalServerError, endedInOutage.Values);
        var census = await AssertRecoveredAsync("after PostgreSQL came back");

        // The jobs that ran across the outage and were not ended still run; those ended meanwhile say so.
        foreach (var id in running.Skip(3)) Assert.Contains(id, census.Registry);
        foreach (var (id, status) in endedInOutage)
        {
            Assert.DoesNotContain(id, census.Registry);
            if (status == HttpStatusCode.OK)
                await FaultCluster.Eventually(async () => await PhaseOf(id) == "cancelled", RecoveryDeadline,
                    () => $"job {id}, cancelled while PostgreSQL was down, does not say so ({PhaseOf(id).Result})");
        }
        await AssertEveryCreatedJobAccountedForAsync(burst, census);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_silo_killed_mid_create_leaves_the_registry_the_jobs_the_workers_and_the_ports_in_agreement(bool registrysSilo)
    {
        var registry = await cluster.RegistrySiloAsync();
        var victim = registrysSilo ? registry : cluster.Silos.First(s => s != registry);
        var gateways = cluster.Silos.Where(s => s != victim).Select(s => cluster.Http[s.Index]).ToList();
        output.WriteLine($"registry on {registry.Name}; killing {victim.Name}");

        await using var burst = new ConfigureBurst(gateways, Lanes);
        await burst.WaitForAnswersAsync(30, BurstDeadline);

        var killed = Stopwatch.StartNew();
        burst.Phase = "kill";
        cluster.KillSilo(victim.Index);
        await cluster.WaitForActiveSilosAsync(cluster.Silos.Count - 1);
        output.WriteLine($"kill -9 {victim.Name}: declared dead after {killed.Elapsed.TotalSeconds:F1} s");

        burst.Phase = "after";
        await FaultCluster.Eventually(() => Task.FromResult(burst.AnyCreatedIn("after")), BurstDeadline,
            () => "no job was created after the silo was declared dead\n" + burst.Summary() + "\n" + cluster.Tails());
        await burst.WaitForAnswersAsync(20, BurstDeadline);
        await burst.StopAsync();
        output.WriteLine($"answers:\n{burst.Summary()}");

        AssertEveryCallAnswered(burst);
        var census = await AssertRecoveredAsync($"after {victim.Name} was killed");
        Assert.Empty(census.Listening[victim.Name]);
        await AssertEveryCreatedJobAccountedForAsync(burst, census);

        // Restarted, it holds nothing it was given before, and the cluster still agrees.
        await cluster.StartSiloAsync(victim.Index);
        census = await AssertRecoveredAsync($"after {victim.Name} was restarted");
        Assert.Empty(census.Listening[victim.Name]);
    }

    /// <summary>A fault may make a call fail (a 5xx, or a refused connection to a gateway on a dead silo), never hang.</summary>
    private static void AssertEveryCallAnswered(ConfigureBurst burst)
    {
        Assert.DoesNotContain(burst.Answers, a => a.Answer == "timeout");
        Assert.All(burst.Answers, a => Assert.True(
            a.Answer is "200" or "500" or "503" || a.Answer.StartsWith("refused", StringComparison.Ordinal),
            $"{a.Call} answered {a.Answer} in phase {a.Phase}"));
        Assert.Contains(burst.Answers, a => a.Phase == "before" && a.Answer == "200");
    }

    /// <summary>Waits (a deadline) until the census agrees, and reports it.</summary>
    private async Task<ClusterCensus> AssertRecoveredAsync(string when)
    {
        var watch = Stopwatch.StartNew();
        ClusterCensus? last = null;
        await FaultCluster.Eventually(async () => (last = await ClusterCensus.TakeAsync(cluster) ?? last) is { IsConsistent: true },
            RecoveryDeadline, () => $"{when}, the cluster does not agree with itself (the census last)\n{cluster.Tails()}\n--- census ---\n{last}");
        output.WriteLine($"{when}: consistent after {watch.Elapsed.TotalSeconds:F1} s: {last}");
        return last!;
    }

    /// <summary>Every job a client was told it got is either still active and listed, or ended and says how.</summary>
    private async Task AssertEveryCreatedJobAccountedForAsync(ConfigureBurst burst, ClusterCensus census)
    {
        var phases = new Dictionary<string, int>();
        foreach (var id in burst.Created.Keys)
        {
            var phase = await PhaseOf(id);
            phases[phase] = phases.GetValueOrDefault(phase) + 1;
            if (census.Registry.Contains(id))
                Assert.True(phase == "running", $"job {id} is listed but says {phase}");
            else
                Assert.True(phase is "cancelled" or "failed", $"job {id} is not listed but says {phase}");
        }
        output.WriteLine($"{burst.Created.Count} jobs created: " + string.Join(", ", phases.Select(p => $"{p.Key} {p.Value}")));
    }

    private async Task<string> PhaseOf(string jobId)
    {
        using var response = await cluster.AnyLiveHttp.GetAsync($"metadata/{jobId}");
        return response.StatusCode == HttpStatusCode.OK
            ? (string?)(await response.Json())["state"] ?? "?"
            : $"HTTP {(int)response.StatusCode}";
    }

    private static JsonObject Body(int n)
    {
        var min = 1 + n * 10 % 2200;
        return FocusApi.LiveBody(min: min, max: min + 4, height: 300, duration: 30, nfft: 256);
    }
}
