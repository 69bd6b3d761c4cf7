using System.Text.Json.Nodes;
using Focus.Analyzer.Pipeline;
using Focus.Grains.Analyzers;
using Focus.IntegrationTests.Historic;
using Focus.IntegrationTests.Infrastructure;
using Grpc.Core;

namespace Focus.IntegrationTests.Launcher;

/// <summary>Jobs whose data plane is a child process of the silo: started, read, stopped, killed, restarted, reaped.</summary>
[Collection(ProcessHostCollection.Name)]
public sealed class ProcessLauncherTests(ProcessHostService service)
{
    private HttpClient Http => service.Http;

    [Fact]
    public async Task A_live_job_streams_from_its_own_process_and_DELETE_ends_the_streams_and_reaps_it()
    {
        var pool = service.Get<StreamPortPool>();
        var inUse = pool.InUse;
        var running = service.Get<IAnalyzerHost>().RunningJobs;
        var job = await Http.Configure(FocusApi.LiveBody(min: 10, max: 12, nfft: 256));
        var (jobId, port) = ((string)job["job_id"]!, (int)job["stream_port"]!);

        var process = AnalyzerProcesses.OfJob(jobId);
        Assert.NotNull(process);
        Assert.Equal(port, process.Port);
        Assert.Equal(Environment.ProcessId, process.ParentPid);
        Assert.Equal(running + 1, service.Get<IAnalyzerHost>().RunningJobs);

        using var channel = FocusApi.Channel(job);
        using var call = FocusApi.Stream(channel, 1);
        var lines = await call.ReadLines(20);
        Assert.All(lines, l => Assert.Equal(11, l.Message.StartChannel));
        Assert.Equal(Enumerable.Range(lines[0].RowIndex, 20), lines.Select(l => l.RowIndex));

        await Http.Delete(jobId);

        // The child ended the open call with the job's status, then exited, and the silo reaped it.
        var ended = await Assert.ThrowsAsync<RpcException>(() => DrainAsync(call));
        Assert.Equal(StatusCode.Cancelled, ended.StatusCode);
        await AnalyzerProcesses.WaitUntil(_ => !AnalyzerProcesses.Exists(process.Pid), $"process {process.Pid} of job {jobId} still exists (a zombie: {AnalyzerProcesses.IsZombie(process.Pid)})");
        Assert.True(FreePorts.CanBind(port), $"port {port} is still bound");
        Assert.Equal(inUse, pool.InUse);
        Assert.Equal(running, service.Get<IAnalyzerHost>().RunningJobs);
        Assert.Equal("cancelled", (string?)(await Http.Metadata(jobId))["state"]);
    }

    [Fact]
    public async Task A_killed_process_is_restarted_on_the_same_port_and_lines_resume_on_a_new_call()
    {
        var job = await Http.Configure(FocusApi.LiveBody(min: 20, max: 21, nfft: 256));
        var (jobId, port) = ((string)job["job_id"]!, (int)job["stream_port"]!);
        try
        {
            var first = AnalyzerProcesses.OfJob(jobId)!;
            using (var channel = FocusApi.Channel(job))
            using (var call = FocusApi.Stream(channel, 0))
            {
                await call.ReadLines(5);
                AnalyzerProcesses.Kill(first.Pid);
                // The call breaks with the process (the connection is reset); which status it gets is the transport's.
                await Assert.ThrowsAsync<RpcException>(() => DrainAsync(call));
            }

            var restarted = (await AnalyzerProcesses.WaitUntil(all => all.Any(e => e.JobId == jobId && e.Pid != first.Pid),
                $"job {jobId} was not restarted after its process {first.Pid} was killed")).Single(e => e.JobId == jobId);
            Assert.Equal(port, restarted.Port);
            Assert.False(AnalyzerProcesses.Exists(first.Pid), $"the killed process {first.Pid} was not reaped (zombie: {AnalyzerProcesses.IsZombie(first.Pid)})");

            var lines = await ReadOnNewCallAsync(job, 10);
            Assert.Equal(10, lines.Count);
            Assert.Equal("running", (string?)(await Http.Metadata(jobId))["state"]);
        }
        finally
        {
            await Http.Delete(jobId);
        }
        await AnalyzerProcesses.WaitUntil(all => all.All(e => e.JobId != jobId), $"a process of job {jobId} survived DELETE");
        Assert.True(FreePorts.CanBind(port), $"port {port} is still bound");
    }

    [Fact]
    public async Task A_historic_job_plays_its_window_to_the_end_from_its_process()
    {
        var (start, end) = HistoricSeeds.Tone;
        var body = FocusApi.LiveBody(min: HistoricSeeds.ToneChannel, max: HistoricSeeds.ToneChannel, view: 1, height: 1000, duration: 10, nfft: 256, fmin: null, fmax: null);
        body["start_time"] = start.ToUnixTimeSeconds();
        body["end_time"] = end.ToUnixTimeSeconds();
        var job = await Http.Configure(body);
        var jobId = (string)job["job_id"]!;
        try
        {
            Assert.NotNull(AnalyzerProcesses.OfJob(jobId));
            using var channel = FocusApi.Channel(job);
            using var call = FocusApi.Stream(channel, 0);
            var rows = 0;
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (await call.ResponseStream.MoveNext(deadline.Token)) rows += call.ResponseStream.Current.DataShapeY;
            Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
            // 20 s of window at lines_dt 10 ms (hop 20 at 2000 Hz): 2000 lines.
            Assert.Equal(2000, rows);

            var until = DateTime.UtcNow + TimeSpan.FromSeconds(15);
            while ((string?)(await Http.Metadata(jobId))["state"] != "completed")
            {
                Assert.True(DateTime.UtcNow < until, $"job {jobId} did not complete: {(await Http.Metadata(jobId)).ToJsonString()}");
                await Task.Delay(100);
            }
        }
        finally
        {
            await Http.Delete(jobId);
        }
        await AnalyzerProcesses.WaitUntil(all => all.All(e => e.JobId != jobId), $"the process of historic job {jobId} survived DELETE");
    }

    private static async Task DrainAsync(AsyncServerStreamingCall<Analyzer.Streaming.Protos.DataStream> call)
    {
        using var deadline = new CancellationTokenSource(FocusApi.Deadline);
        while (await call.ResponseStream.MoveNext(deadline.Token)) { }
    }

    /// <summary>Lines of a new call, retried while the restarted process is not serving yet.</summary>
    private static async Task<List<ByteStringLine>> ReadOnNewCallAsync(JsonObject job, int count)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                using var channel = FocusApi.Channel(job);
                using var call = FocusApi.Stream(channel, 0);
                return await call.ReadLines(count);
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable && DateTime.UtcNow < until)
            {
                await Task.Delay(200);
            }
        }
    }
}
