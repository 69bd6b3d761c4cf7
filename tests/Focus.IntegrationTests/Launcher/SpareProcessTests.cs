using Focus.Analyzer.Launcher;
using Focus.IntegrationTests.Infrastructure;

namespace Focus.IntegrationTests.Launcher;

/// <summary>
/// The warm spare (<c>Focus:Analyzer:SpareProcesses</c>, 1 by default): a job's process is the spare that was already
/// running, a new spare follows, and a spare that dies is replaced without touching jobs.
/// </summary>
[Collection(ProcessHostCollection.Name)]
public sealed class SpareProcessTests(ProcessHostService service)
{
    /// <summary>A spare warms up for seconds; on a loaded 2-core machine many.</summary>
    private static readonly TimeSpan SpareDeadline = TimeSpan.FromSeconds(90);

    private HttpClient Http => service.Http;

    private ProcessAnalyzerHost Host => service.Get<ProcessAnalyzerHost>();

    [Fact]
    public async Task A_job_takes_the_ready_spare_and_a_new_spare_is_started_after_it()
    {
        var spare = await ReadySpareAsync();

        var job = await Http.Configure(FocusApi.LiveBody(min: 30, max: 31, nfft: 256));
        var (jobId, port) = ((string)job["job_id"]!, (int)job["stream_port"]!);
        try
        {
            // The job's process is the spare that was running before /configure, now named for the job in ps.
            Assert.Equal(spare.Pid, Host.ProcessOf(jobId));
            var process = AnalyzerProcesses.OfJob(jobId);
            Assert.NotNull(process);
            Assert.Equal((spare.Pid, port, Environment.ProcessId), (process.Pid, process.Port, process.ParentPid));

            using (var channel = FocusApi.Channel(job))
            using (var call = FocusApi.Stream(channel, 1))
                Assert.All(await call.ReadLines(5), l => Assert.Equal(31, l.Message.StartChannel));

            var next = await ReadySpareAsync();
            Assert.NotEqual(spare.Pid, next.Pid);
            var metrics = await Http.GetStringAsync("metrics");
            Assert.Equal(1, Gauge(metrics, "spare"));
            Assert.True(Gauge(metrics, "job") >= 1, metrics);
        }
        finally
        {
            await Http.Delete(jobId);
        }
        await AnalyzerProcesses.WaitUntil(_ => !AnalyzerProcesses.Exists(spare.Pid), $"the process {spare.Pid} of job {jobId} survived DELETE");
    }

    [Fact]
    public async Task A_job_that_finds_the_spare_still_warming_up_takes_it_and_streams()
    {
        await ReadySpareAsync();
        var first = await Http.Configure(FocusApi.LiveBody(min: 50, max: 50, view: 1, nfft: 256));
        var firstId = (string)first["job_id"]!;
        string? secondId = null;
        try
        {
            // The next spare is started once the first job has started, and warms up for a second or more.
            var warming = (await AnalyzerProcesses.WaitUntil(all => all.Any(e => e.IsSpare && e.ParentPid == Environment.ProcessId),
                "no spare was started after a job took the ready one", SpareDeadline)).Single(e => e.IsSpare && e.ParentPid == Environment.ProcessId);
            // (Ready by now only on a machine that outpaced this test: then the job takes it ready, as tested above.)

            var second = await Http.Configure(FocusApi.LiveBody(min: 51, max: 52, nfft: 256));
            secondId = (string)second["job_id"]!;
            Assert.Equal(warming.Pid, Host.ProcessOf(secondId));
            Assert.Equal(secondId, AnalyzerProcesses.OfJob(secondId)?.JobId);
            using var channel = FocusApi.Channel(second);
            using var call = FocusApi.Stream(channel, 1);
            Assert.All(await call.ReadLines(5), l => Assert.Equal(52, l.Message.StartChannel));
        }
        finally
        {
            await Http.Delete(firstId);
            if (secondId is not null) await Http.Delete(secondId);
        }
    }

    [Fact]
    public async Task A_killed_spare_is_reaped_and_replaced_and_running_jobs_keep_streaming()
    {
        var job = await Http.Configure(FocusApi.LiveBody(min: 40, max: 41, nfft: 256));
        var jobId = (string)job["job_id"]!;
        try
        {
            var jobPid = Host.ProcessOf(jobId);
            Assert.NotEqual(0, jobPid);
            var spare = await ReadySpareAsync();
            Assert.NotEqual(jobPid, spare.Pid);

            AnalyzerProcesses.Kill(spare.Pid);

            await AnalyzerProcesses.WaitUntil(_ => !AnalyzerProcesses.Exists(spare.Pid),
                $"the killed spare {spare.Pid} was not reaped (zombie: {AnalyzerProcesses.IsZombie(spare.Pid)})", SpareDeadline);
            var replacement = await ReadySpareAsync();
            Assert.NotEqual(spare.Pid, replacement.Pid);

            // The job neither restarted nor noticed.
            Assert.Equal(jobPid, Host.ProcessOf(jobId));
            using var channel = FocusApi.Channel(job);
            using var call = FocusApi.Stream(channel, 0);
            Assert.Equal(10, (await call.ReadLines(10)).Count);
            Assert.Equal("running", (string?)(await Http.Metadata(jobId))["state"]);
        }
        finally
        {
            await Http.Delete(jobId);
        }
    }

    /// <summary><c>focus_analyzer_processes{state=…}</c> in a Prometheus scrape.</summary>
    private static double Gauge(string metrics, string state)
    {
        var line = metrics.Split('\n').SingleOrDefault(l => l.StartsWith("focus_analyzer_processes{", StringComparison.Ordinal)
            && l.Contains($"state=\"{state}\"", StringComparison.Ordinal));
        Assert.True(line is not null, $"no focus_analyzer_processes of state {state} in\n{metrics}");
        return double.Parse(line.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The one spare of this silo once it is ready (the host counts it ready, and ps shows it as a spare).</summary>
    private async Task<AnalyzerProcesses.Entry> ReadySpareAsync()
    {
        var until = DateTime.UtcNow + SpareDeadline;
        while (Host.ReadySpareProcesses < 1)
        {
            Assert.True(DateTime.UtcNow < until, $"no spare became ready within {SpareDeadline}; spares alive: {Host.SpareProcesses}");
            await Task.Delay(100);
        }
        var spares = await AnalyzerProcesses.WaitUntil(all => all.Count(e => e.IsSpare && e.ParentPid == Environment.ProcessId) == 1,
            "the ready spare is not the one spare process of this silo");
        return spares.Single(e => e.IsSpare && e.ParentPid == Environment.ProcessId);
    }
}
