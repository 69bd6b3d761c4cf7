using System.Net;
using System.Text.Json.Nodes;
using Focus.IntegrationTests.Historic;
using Focus.IntegrationTests.Infrastructure;
using Grpc.Core;
using static Focus.IntegrationTests.Historic.HistoricSeeds;

namespace Focus.IntegrationTests.RestPull;

/// <summary>GET /waterfall against historic jobs: the first pull plays the window into the buffer, as fast as it is pulled; 208 once every line was pulled.</summary>
[Collection(HistoricCollection.Name)]
public sealed class HistoricPullTests(HistoricService service)
{
    private HttpClient Http => service.Http;

    private static JsonObject Body((DateTimeOffset Start, DateTimeOffset End) window, int view = 0, int min = 1, int max = 2)
    {
        var body = view == 2
            ? FocusApi.WaterfallBody(min: min, max: max)
            : FocusApi.LiveBody(min: min, max: max, view: view, height: 1000, duration: 10, nfft: 256, fmin: null, fmax: null);
        body["start_time"] = window.Start.ToUnixTimeSeconds();
        body["end_time"] = window.End.ToUnixTimeSeconds();
        return body;
    }

    [Fact]
    public async Task A_window_with_a_hole_is_pulled_whole_with_the_gRPC_values_then_208()
    {
        var job = await Http.Configure(Body(Hole, view: 0, min: 3, max: 4));
        var jobId = (string)job["job_id"]!;
        var first = await Http.Pull(jobId, 1000);
        Assert.True(first.Status is HttpStatusCode.OK or HttpStatusCode.Created, $"first pull answered {(int)first.Status}");

        var rows = first.Rows.ToList();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var page = await Http.Pull(jobId, 1000);
            if (page.Status == HttpStatusCode.AlreadyReported) break;
            Assert.True(page.Status is HttpStatusCode.OK or HttpStatusCode.Created, $"pull answered {(int)page.Status}: {page.Body}");
            Assert.True(page.Rows.Length <= 1000);
            rows.AddRange(page.Rows);
            Assert.True(DateTime.UtcNow < deadline, $"the window was not pulled out within 60 s ({rows.Count} lines)");
            if (page.Rows.Length == 0) await Task.Delay(20);
        }
        Assert.Equal(HttpStatusCode.AlreadyReported, (await Http.Pull(jobId, 5)).Status); // and it stays so

        // Every line once, in time order, the hole a single jump of its size: as one gRPC call plays the window.
        var streamed = await PlayAll(job, stream: 1);
        Assert.Equal(streamed.Select(l => l.TimestampMs), rows.Select(r => r.StartTimestamp));
        Assert.All(rows, r => Assert.Equal([3, 4], r.Sensors.Select(s => s.Id)));
        Assert.All(streamed.Zip(rows), p => Assert.Equal(p.First.Values, p.Second.Sensors[1].Intensity));
        var jump = Assert.Single(rows.Zip(rows.Skip(1), (a, b) => b.StartTimestamp - a.StartTimestamp), d => d > 11);
        Assert.InRange(jump, (long)HoleLength.TotalMilliseconds, (long)HoleLength.TotalMilliseconds + 200);
        Assert.Equal(0L, (long)(await Http.Metadata(jobId))["dropped_lines"]!); // historic waits for the puller, drops nothing
        await Http.Delete(jobId);
    }

    [Fact]
    public async Task A_historic_WATERFALL_is_pulled_with_one_value_per_channel_equal_to_the_gRPC_stream()
    {
        var job = await Http.Configure(Body(Tone, view: 2, min: 1, max: Channels));
        var jobId = (string)job["job_id"]!;
        var streamed = await PlayAll(job, stream: 0);
        var rows = new List<WaterfallPulls.Row>();
        while (rows.Count < streamed.Count)
            rows.AddRange(await Http.PullUntil(jobId, 1, rowCount: 1000));
        Assert.Equal(HttpStatusCode.AlreadyReported, (await Http.Pull(jobId, 1000)).Status);

        Assert.Equal(streamed.Select(l => l.TimestampMs), rows.Select(r => r.StartTimestamp));
        Assert.All(streamed.Zip(rows), p =>
        {
            Assert.Equal(Enumerable.Range(1, Channels), p.Second.Sensors.Select(s => s.Id));
            Assert.Equal(p.First.Values, p.Second.Sensors.Select(s => Assert.Single(s.Intensity)));
            Assert.Equal(p.Second.StartTimestamp + 10, p.Second.EndTimestamp); // hop 20 at 2000 Hz
        });
        await Http.Delete(jobId);
    }

    [Fact]
    public async Task A_slow_puller_of_a_historic_window_holds_at_most_1000_lines_and_loses_none()
    {
        var job = await Http.Configure(Body(FullCoverage, view: 1, min: ToneChannel, max: ToneChannel));
        var jobId = (string)job["job_id"]!;
        await Http.Pull(jobId, 1);
        // The playback fills the buffer and waits: wait until it has (1000 lines are there), then take them.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var total = 0;
        long? last = null;
        while (true)
        {
            var page = await Http.Pull(jobId, 1000);
            if (page.Status == HttpStatusCode.AlreadyReported) break;
            Assert.True(page.Rows.Length <= 1000);
            foreach (var row in page.Rows)
            {
                if (last is { } previous) Assert.Equal(previous + 10, row.StartTimestamp); // no line lost
                last = row.StartTimestamp;
            }
            total += page.Rows.Length;
            Assert.True(DateTime.UtcNow < deadline, $"not pulled out within 30 s ({total} lines)");
            await Task.Delay(200); // a slow client
        }
        var window = FullCoverage.End - FullCoverage.Start;
        Assert.InRange(total, window.TotalSeconds * 100 - 2, window.TotalSeconds * 100 + 1);
        Assert.Equal(0L, (long)(await Http.Metadata(jobId))["dropped_lines"]!);
        await Http.Delete(jobId);
    }

    private static async Task<List<ByteStringLine>> PlayAll(JsonObject job, int stream)
    {
        using var channel = FocusApi.Channel(job);
        using var call = FocusApi.Stream(channel, stream);
        return await call.ReadToEnd();
    }
}
