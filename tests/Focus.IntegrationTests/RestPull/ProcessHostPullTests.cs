using System.Net;
using Focus.Analyzer.Launcher;
using Focus.IntegrationTests.Infrastructure;
using Focus.IntegrationTests.Launcher;
using static Focus.IntegrationTests.Historic.HistoricSeeds;

namespace Focus.IntegrationTests.RestPull;

/// <summary>With <c>Focus:Analyzer:Host=process</c> the pull buffer lives in the job's own process; the silo asks it over the launcher.</summary>
[Collection(ProcessHostCollection.Name)]
public sealed class ProcessHostPullTests(ProcessHostService service)
{
    private HttpClient Http => service.Http;

    [Fact]
    public async Task A_live_job_in_an_analyzer_process_is_pulled_with_the_gRPC_values()
    {
        var job = await Http.Configure(FocusApi.LiveBody(min: 10, max: 12, view: 0, nfft: 256, fmin: 0, fmax: 500));
        var jobId = (string)job["job_id"]!;
        try
        {
            Assert.Equal(HttpStatusCode.OK, (await Http.Pull(jobId, 1000)).Status);
            using var channel = FocusApi.Channel(job);
            using var call = FocusApi.Stream(channel, 2); // channel 12
            var streamed = await call.ReadLines(30);
            var rows = new List<WaterfallPulls.Row>();
            while (rows.Count == 0 || rows[^1].StartTimestamp < streamed[^1].TimestampMs)
                rows.AddRange(await Http.PullUntil(jobId, 1));
            var byTime = rows.ToDictionary(r => r.StartTimestamp);
            var common = streamed.Where(l => byTime.ContainsKey(l.TimestampMs)).ToList();
            Assert.True(common.Count >= 10, $"only {common.Count} lines seen both ways");
            Assert.All(common, l =>
            {
                Assert.Equal([10, 11, 12], byTime[l.TimestampMs].Sensors.Select(s => s.Id));
                Assert.Equal(l.Values, byTime[l.TimestampMs].Sensors[2].Intensity);
            });
        }
        finally
        {
            await Http.Delete(jobId);
        }
        Assert.Equal(HttpStatusCode.AlreadyReported, (await Http.Pull(jobId, 5)).Status);
    }

    [Fact]
    public async Task A_pull_over_the_launcher_carries_at_most_2_MiB_of_values()
    {
        // 60 channels x 129 bins x 4 bytes = 30,960 bytes a line: 67 lines fit in 2 MiB, 68 do not.
        var job = await Http.Configure(FocusApi.LiveBody(min: 1, max: 60, view: 0, nfft: 256, fmin: null, fmax: null));
        var jobId = (string)job["job_id"]!;
        try
        {
            Assert.Equal(HttpStatusCode.OK, (await Http.Pull(jobId, 1)).Status);
            await Http.WaitForMetadata(jobId, m => (long)m["dropped_lines"]! > 0, "a full buffer", TimeSpan.FromSeconds(60));
            var page = await Http.Pull(jobId, 1000);
            Assert.Equal(LauncherProtocol.MaxPullBytes / (60 * 129 * sizeof(float)), page.Rows.Length);
        }
        finally
        {
            await Http.Delete(jobId);
        }
    }

    [Fact]
    public async Task A_historic_job_in_an_analyzer_process_is_pulled_to_its_end_then_208()
    {
        var body = FocusApi.WaterfallBody(min: 1, max: Channels);
        body["start_time"] = FullCoverage.Start.ToUnixTimeSeconds();
        body["end_time"] = FullCoverage.End.ToUnixTimeSeconds();
        var job = await Http.Configure(body);
        var jobId = (string)job["job_id"]!;
        var rows = 0;
        long? last = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var page = await Http.Pull(jobId, 1000);
            if (page.Status == HttpStatusCode.AlreadyReported) break;
            Assert.True(page.Status is HttpStatusCode.OK or HttpStatusCode.Created, $"pull answered {(int)page.Status}: {page.Body}");
            foreach (var row in page.Rows)
            {
                if (last is { } previous) Assert.Equal(previous + 10, row.StartTimestamp);
                last = row.StartTimestamp;
            }
            rows += page.Rows.Length;
            Assert.True(DateTime.UtcNow < deadline, $"not pulled out within 60 s ({rows} lines)");
            if (page.Rows.Length == 0) await Task.Delay(20);
        }
        Assert.InRange(rows, 5999, 6001); // 60 s at 100 lines/s, none lost
        await Http.Delete(jobId);
    }
}
