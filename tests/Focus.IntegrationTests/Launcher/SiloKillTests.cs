using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Focus.IntegrationTests.Cluster;
using Focus.IntegrationTests.Infrastructure;

namespace Focus.IntegrationTests.Launcher;

/// <summary>
/// A silo as a real process (<c>dotnet Focus.Silo.dll</c>, single node, <c>Focus:Analyzer:Host=process</c>, no
/// restarts) whose analyzer processes are its children: killing one fails its job with the signal in the reason;
/// killing or stopping the silo leaves none behind, its warm spare included.
/// </summary>
public sealed class SiloKillTests
{
    [Fact]
    public async Task A_killed_analyzer_process_fails_its_job_with_the_signal_and_frees_the_port()
    {
        await using var silo = await StartSiloAsync("launcher-kill-analyzer");
        var job = await silo.Http.Configure(FocusApi.LiveBody(min: 10, max: 11, nfft: 256));
        var (jobId, port) = ((string)job["job_id"]!, (int)job["stream_port"]!);
        var process = AnalyzerProcesses.OfJob(jobId);
        Assert.NotNull(process);
        Assert.Equal(silo.Pid, process.ParentPid);

        AnalyzerProcesses.Kill(process.Pid);

        var metadata = await WaitForStateAsync(silo.Http, jobId, "failed");
        var reason = (string?)metadata["failure_reason"] ?? metadata.ToJsonString();
        Assert.Contains("SIGKILL", reason);
        Assert.Contains("not restarted", reason);
        await AnalyzerProcesses.WaitUntil(_ => !AnalyzerProcesses.Exists(process.Pid), $"process {process.Pid} was not reaped (zombie: {AnalyzerProcesses.IsZombie(process.Pid)})");
        Assert.True(FreePorts.CanBind(port), $"port {port} is still bound");

        // The port went back to the silo's pool: as many jobs as the pool has ports start at once.
        var full = new List<string>();
        for (var i = 0; i < SiloPorts; i++)
            full.Add((string)(await silo.Http.Configure(FocusApi.LiveBody(min: 10, max: 10, view: 1, nfft: 256)))["job_id"]!);
        foreach (var id in full) await silo.Http.Delete(id);
    }

    [Fact]
    public async Task Killing_the_silo_leaves_no_analyzer_process_behind()
    {
        var silo = await StartSiloAsync("launcher-kill-silo");
        await using (silo)
        {
            var jobs = new List<JsonObject>
            {
                await silo.Http.Configure(FocusApi.LiveBody(min: 10, max: 12, nfft: 256)),
                await silo.Http.Configure(FocusApi.WaterfallBody(min: 1, max: 40)),
            };
            var ids = jobs.Select(j => (string)j["job_id"]!).ToHashSet();
            var ours = await AnalyzerProcesses.WaitUntil(all => all.Count(e => ids.Contains(e.JobId)) == 2, "the jobs' processes did not start");
            Assert.All(ours.Where(e => ids.Contains(e.JobId)), e => Assert.Equal(silo.Pid, e.ParentPid));
            await AnalyzerProcesses.WaitUntil(all => all.Any(e => e.IsSpare && e.ParentPid == silo.Pid), "the silo has no spare", SpareDeadline);

            AnalyzerProcesses.Kill(silo.Pid); // the silo alone: its children learn it from their stdin and parent

            await AnalyzerProcesses.WaitUntil(all => all.All(e => !ids.Contains(e.JobId) && e.ParentPid != silo.Pid),
                "analyzer processes (jobs' or spare) of the killed silo survived it", TimeSpan.FromSeconds(20));
            foreach (var job in jobs)
                Assert.True(FreePorts.CanBind((int)job["stream_port"]!), $"port {job["stream_port"]} is still bound");
        }
    }

    [Fact]
    public async Task Stopping_the_silo_kills_and_reaps_its_spare_before_it_exits()
    {
        await using var silo = await StartSiloAsync("launcher-stop-silo");
        var spare = (await AnalyzerProcesses.WaitUntil(all => all.Any(e => e.IsSpare && e.ParentPid == silo.Pid), "the silo has no spare", SpareDeadline))
            .First(e => e.IsSpare && e.ParentPid == silo.Pid);

        Assert.Equal(0, await silo.StopAsync());

        // Gone when the silo has exited: the silo killed and reaped it (a spare left to notice its stdin would linger).
        Assert.False(AnalyzerProcesses.Exists(spare.Pid), $"spare {spare.Pid} outlived the silo (zombie: {AnalyzerProcesses.IsZombie(spare.Pid)})");
    }

    private const int SiloPorts = 4;

    /// <summary>A spare warms up for seconds; on a loaded 2-core machine many.</summary>
    private static readonly TimeSpan SpareDeadline = TimeSpan.FromSeconds(90);

    private sealed class SiloUnderTest(ChildProcess process, HttpClient http) : IAsyncDisposable
    {
        public int Pid => process.Pid;

        public HttpClient Http => http;

        /// <summary>SIGTERM, then the exit code.</summary>
        public Task<int> StopAsync() => process.StopAsync(TimeSpan.FromSeconds(60));

        public async ValueTask DisposeAsync()
        {
            http.Dispose();
            await process.DisposeAsync();
        }
    }

    private static async Task<SiloUnderTest> StartSiloAsync(string name)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Focus.Silo.dll");
        var rest = FreePorts.Any();
        var (first, last) = FreePorts.Block(SiloPorts);
        var child = ChildProcess.Start(name, dll,
        [
            $"--Urls=http://127.0.0.1:{rest}",
            $"--Focus:Cluster:SiloPort={FreePorts.Any()}",
            $"--Focus:Cluster:GatewayPort={FreePorts.Any()}",
            $"--Focus:Cluster:ClusterId=test-{Guid.NewGuid():N}",
            $"--Focus:Streams:PortRange={first}-{last}",
            "--Focus:Streams:BindAddress=127.0.0.1",
            "--Focus:Analyzer:Host=process",
            "--Focus:Analyzer:MaxRestarts=0",
            "--Focus:Jobs:ProgressInterval=00:00:00.200",
            "--Logging:LogLevel:Default=Information",
        ]);
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{rest}/"), Timeout = TimeSpan.FromSeconds(60) };
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync("channels");
                if (response.IsSuccessStatusCode) break;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            if (child.HasExited || DateTime.UtcNow > until)
            {
                await child.DisposeAsync();
                Assert.Fail($"silo {name} did not become ready\n{child.Tail()}");
            }
            await Task.Delay(200);
        }
        return new SiloUnderTest(child, http);
    }

    private static async Task<JsonObject> WaitForStateAsync(HttpClient http, string jobId, string state)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var metadata = await http.GetFromJsonAsync<JsonObject>($"metadata/{jobId}");
            if ((string?)metadata!["state"] == state) return metadata;
            Assert.True(DateTime.UtcNow < until, $"job {jobId} is not {state}: {metadata.ToJsonString()}");
            await Task.Delay(100);
        }
    }
}
