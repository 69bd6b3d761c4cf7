using System.Net;
using Focus.IntegrationTests.Infrastructure;

namespace Focus.IntegrationTests.RestPull;

/// <summary>GET /waterfall/{job_id}/{row_count} over real HTTP against live jobs: statuses, production's row shape, and the same values the gRPC stream carries.</summary>
[Collection(ServiceCollection.Name)]
public sealed class WaterfallPullTests(FocusService service)
{
    private HttpClient Http => service.Http;

    [Theory]
    [InlineData("0")]
    [InlineData("1001")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("abc")]
    [InlineData("99999999999")]
    public async Task A_row_count_outside_1_to_1000_is_a_400_naming_the_field(string rowCount)
    {
        var job = await Http.Configure(FocusApi.LiveBody(min: 1, max: 1, view: 1));
        var jobId = (string)job["job_id"]!;
        try
        {
            using var response = await Http.GetAsync($"waterfall/{jobId}/{rowCount}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Json();
            Assert.Contains("row_count", (string)problem["detail"]!);
            Assert.Equal((string)problem["detail"]!, (string)problem["error"]!);
            Assert.NotNull(problem["errors"]!["row_count"]);
            Assert.Equal(0L, (long)(await Http.Metadata(jobId))["lines_emitted"]!); // a refused pull opens nothing
        }
        finally
        {
            await Http.Delete(jobId);
        }
    }

    [Fact]
    public async Task An_unknown_job_is_a_404_Invalid_job_id()
    {
        using var response = await Http.GetAsync("waterfall/999999-1/5");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await response.Json();
        Assert.Contains("Invalid job_id", (string)problem["detail"]!);
        Assert.Equal((string)problem["detail"]!, (string)problem["error"]!);

        using var post = await Http.PostAsync("waterfall/999999-1/5", null);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
    }

    [Fact]
    public async Task The_first_pull_opens_the_buffer_lines_come_oldest_first_and_unpulled_jobs_emit_nothing()
    {
        var pulled = await Http.Configure(FocusApi.LiveBody(min: 20, max: 22, view: 0, nfft: 256));
        var unpulled = await Http.Configure(FocusApi.LiveBody(min: 20, max: 22, view: 0, nfft: 256));
        var (pulledId, unpulledId) = ((string)pulled["job_id"]!, (string)unpulled["job_id"]!);
        try
        {
            var first = await Http.Pull(pulledId, 5);
            Assert.Equal(HttpStatusCode.OK, first.Status); // the buffer opens now; nothing waits yet
            Assert.Equal("", first.Body);

            var rows = await Http.PullUntil(pulledId, 200, rowCount: 50); // 2 s of lines: reports of both jobs have come since
            Assert.All(rows, r => Assert.Equal(pulledId, r.CanvasId));
            var dtMs = (double)pulled["lines_dt"]! * 1000;
            for (var i = 1; i < rows.Count; i++)
                Assert.InRange(rows[i].StartTimestamp - rows[i - 1].StartTimestamp, 1, dtMs + 1); // oldest first, no line twice

            await Http.WaitForMetadata(pulledId, m => (long)m["lines_emitted"]! >= 100, "lines emitted", TimeSpan.FromSeconds(10));
            Assert.Equal(0L, (long)(await Http.Metadata(unpulledId))["lines_emitted"]!);
        }
        finally
        {
            await Http.Delete(pulledId);
            await Http.Delete(unpulledId);
        }
    }

    [Fact]
    public async Task MULTICHANNEL_rows_carry_every_channel_with_the_values_and_times_of_the_gRPC_stream()
    {
        var job = await Http.Configure(FocusApi.LiveBody(min: 10, max: 12, view: 0, nfft: 256, fmin: 0, fmax: 500));
        var jobId = (string)job["job_id"]!;
        try
        {
            var bins = (int)job["frequencies_amount"]!;
            var frameMs = (long)Math.Max(1, Math.Round((int)job["internal_nfft"]! * 1000.0 / (double)job["metadata"]!["prr"]!, MidpointRounding.AwayFromZero));
            Assert.Equal(HttpStatusCode.OK, (await Http.Pull(jobId, 1000)).Status);
            using var channel = FocusApi.Channel(job);
            using var call = FocusApi.Stream(channel, 1); // channel 11
            var streamed = await call.ReadLines(60);
            var rows = await PullPast(jobId, streamed[^1].TimestampMs);

            Assert.All(rows, r =>
            {
                Assert.Equal([10, 11, 12], r.Sensors.Select(s => s.Id));
                Assert.All(r.Sensors, s => Assert.Equal(bins, s.Intensity.Length));
                Assert.Equal(r.StartTimestamp + frameMs, r.EndTimestamp);
            });
            AssertSameLines(streamed, rows, sensor: 1);
        }
        finally
        {
            await Http.Delete(jobId);
        }
    }

    [Fact]
    public async Task SINGLECHANNEL_and_WATERFALL_rows_have_their_shapes_and_the_gRPC_values()
    {
        var single = await Http.Configure(FocusApi.LiveBody(min: 12, max: 12, view: 1, nfft: 512, fmin: 0, fmax: 300));
        var waterfall = await Http.Configure(FocusApi.WaterfallBody(min: 5, max: 24));
        try
        {
            foreach (var (job, channels, width) in new[] { (single, new[] { 12 }, (int)single["frequencies_amount"]!), (waterfall, Enumerable.Range(5, 20).ToArray(), 1) })
            {
                var jobId = (string)job["job_id"]!;
                Assert.Equal(HttpStatusCode.OK, (await Http.Pull(jobId, 1000)).Status);
                using var channel = FocusApi.Channel(job);
                using var call = FocusApi.Stream(channel, 0);
                var streamed = await call.ReadLines(40);
                var rows = await PullPast(jobId, streamed[^1].TimestampMs);
                Assert.All(rows, r =>
                {
                    Assert.Equal(channels, r.Sensors.Select(s => s.Id));
                    Assert.All(r.Sensors, s => Assert.Equal(width, s.Intensity.Length));
                });
                if (width == 1)
                {
                    // WATERFALL: the line's values are one per channel, in channel order.
                    var byTime = rows.ToDictionary(r => r.StartTimestamp);
                    var common = streamed.Where(l => byTime.ContainsKey(l.TimestampMs)).ToList();
                    Assert.True(common.Count >= 10, $"only {common.Count} lines seen both ways");
                    Assert.All(common, l => Assert.Equal(l.Values, byTime[l.TimestampMs].Sensors.Select(s => s.Intensity[0])));
                    Assert.All(rows, r => Assert.Equal(r.StartTimestamp + (long)Math.Round((double)job["lines_dt"]! * 1000), r.EndTimestamp));
                }
                else
                {
                    AssertSameLines(streamed, rows, sensor: 0);
                }
            }
        }
        finally
        {
            await Http.Delete((string)single["job_id"]!);
            await Http.Delete((string)waterfall["job_id"]!);
        }
    }

    [Fact]
    public async Task A_slow_puller_keeps_only_the_newest_lines_up_to_8_MiB_or_1000_lines_and_the_drops_are_counted()
    {
        // 60 channels x 129 bins x 4 bytes = 31 KB a line: 8 MiB hold 270 lines (reached in 3 s at 100 lines/s).
        var wide = await Http.Configure(FocusApi.LiveBody(min: 100, max: 159, view: 0, nfft: 256, fmin: null, fmax: null));
        // 2 channels of WATERFALL: 8 bytes a line, so 1,000 lines is the bound (10 s at 100 lines/s).
        var narrow = await Http.Configure(FocusApi.WaterfallBody(min: 1, max: 2));
        var (wideId, narrowId) = ((string)wide["job_id"]!, (string)narrow["job_id"]!);
        try
        {
            Assert.Equal(HttpStatusCode.OK, (await Http.Pull(wideId, 1)).Status);
            Assert.Equal(HttpStatusCode.OK, (await Http.Pull(narrowId, 1)).Status);
            // Pulls keep the jobs alive; nobody takes lines meanwhile.
            await Http.WaitForMetadata(wideId, m => (long)m["dropped_lines"]! > 0, "dropped lines", TimeSpan.FromSeconds(60));
            await Http.WaitForMetadata(narrowId, m => (long)m["dropped_lines"]! > 0, "dropped lines", TimeSpan.FromSeconds(60));

            var widePage = await Http.Pull(wideId, 1000);
            Assert.Equal(HttpStatusCode.Created, widePage.Status);
            var lineBytes = 60L * widePage.Rows[0].Sensors[0].Intensity.Length * sizeof(float);
            Assert.InRange(widePage.Rows.Length, 8L * 1024 * 1024 / lineBytes - 20, 8L * 1024 * 1024 / lineBytes);

            var narrowPage = await Http.Pull(narrowId, 1000);
            Assert.Equal(HttpStatusCode.Created, narrowPage.Status);
            Assert.InRange(narrowPage.Rows.Length, 900, 1000);
            // The newest were kept: the oldest line left is recent, not the first line the buffer saw.
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            Assert.InRange(narrowPage.Rows[0].StartTimestamp, now - 15_000, now);

            using var metrics = await Http.GetAsync("metrics");
            var text = await metrics.Content.ReadAsStringAsync();
            Assert.True(Counter(text, "focus_pull_lines_total") >= widePage.Rows.Length + narrowPage.Rows.Length, text);
            Assert.True(Counter(text, "focus_pull_dropped_lines_total") > 0, text);
        }
        finally
        {
            await Http.Delete(wideId);
            await Http.Delete(narrowId);
        }
    }

    [Fact]
    public async Task OpenAPI_describes_the_pull_and_each_of_its_answers()
    {
        var document = System.Text.Json.Nodes.JsonNode.Parse(await Http.GetStringAsync("openapi.json"))!;
        var get = document["paths"]!["/waterfall/{job_id}/{row_count}"]!["get"]!;
        Assert.Equal(["201", "200", "208", "400", "404"], get["responses"]!.AsObject().Select(r => r.Key).Order().OrderBy(k => k != "201"));
        Assert.Equal(["job_id", "row_count"], get["parameters"]!.AsArray().Select(p => (string)p!["name"]!));
        Assert.NotNull(get["responses"]!["201"]!["content"]!["application/json"]);
    }

    [Fact]
    public async Task After_the_job_is_cancelled_a_pull_is_208()
    {
        var job = await Http.Configure(FocusApi.LiveBody(min: 30, max: 30, view: 1));
        var jobId = (string)job["job_id"]!;
        await Http.PullUntil(jobId, 1);
        await Http.Delete(jobId);
        var page = await Http.Pull(jobId, 10);
        Assert.Equal(HttpStatusCode.AlreadyReported, page.Status);
        Assert.Equal("", page.Body);
    }

    /// <summary>Pulls until a row at or after <paramref name="timestampMs"/> has come.</summary>
    private async Task<List<WaterfallPulls.Row>> PullPast(string jobId, long timestampMs)
    {
        var rows = new List<WaterfallPulls.Row>();
        while (rows.Count == 0 || rows[^1].StartTimestamp < timestampMs)
            rows.AddRange(await Http.PullUntil(jobId, 1));
        return rows;
    }

    /// <summary>Every line seen both ways has the same values (bit for bit) on the pulled row's <paramref name="sensor"/>.</summary>
    private static void AssertSameLines(List<ByteStringLine> streamed, List<WaterfallPulls.Row> rows, int sensor)
    {
        var byTime = rows.ToDictionary(r => r.StartTimestamp);
        var common = streamed.Where(l => byTime.ContainsKey(l.TimestampMs)).ToList();
        Assert.True(common.Count >= 10, $"only {common.Count} lines seen both ways");
        Assert.All(common, l => Assert.Equal(l.Values, byTime[l.TimestampMs].Sensors[sensor].Intensity));
        foreach (var row in rows)
        {
            var values = row.Sensors.SelectMany(s => s.Intensity).ToArray();
            Assert.All(values, v => Assert.True(float.IsFinite(v)));
        }
    }

    private static double Counter(string metrics, string name) => metrics.Split('\n')
        .Where(l => l.StartsWith(name, StringComparison.Ordinal))
        .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
}
