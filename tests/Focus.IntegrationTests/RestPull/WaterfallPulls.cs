using System.Net;
using System.Text.Json.Nodes;
using Focus.IntegrationTests.Infrastructure;
using static Focus.IntegrationTests.Infrastructure.Polling;

namespace Focus.IntegrationTests.RestPull;

/// <summary>What a production REST client does with GET /waterfall/{job_id}/{row_count}, and the rows it reads back.</summary>
public static class WaterfallPulls
{
    public sealed record Sensor(int Id, float[] Intensity);

    public sealed record Row(string CanvasId, Sensor[] Sensors, long StartTimestamp, long EndTimestamp);

    public sealed record Page(HttpStatusCode Status, string Body, Row[] Rows, float? MaxAmp, float? MinAmp);

    public static async Task<Page> Pull(this HttpClient http, string jobId, int rowCount)
    {
        using var response = await http.GetAsync($"waterfall/{jobId}/{rowCount}");
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Created) return new Page(response.StatusCode, body, [], null, null);

        var pages = JsonNode.Parse(body)!.AsArray();
        Assert.Single(pages);
        var page = pages[0]!.AsObject();
        var rows = page["rows"]!.AsArray().Select(r => new Row(
            (string)r!["canvasId"]!,
            r["sensors"]!.AsArray().Select(s => new Sensor((int)s!["id"]!, s["intensity"]!.AsArray().Select(v => (float)v!).ToArray())).ToArray(),
            (long)r["startTimestamp"]!,
            (long)r["endTimestamp"]!)).ToArray();
        Assert.NotEmpty(rows);
        var values = rows.SelectMany(r => r.Sensors).SelectMany(s => s.Intensity).ToArray();
        Assert.Equal(values.Max(), (float)page["current_max_amp"]!); // the extremes of the values returned
        Assert.Equal(values.Min(), (float)page["current_min_amp"]!);
        return new Page(response.StatusCode, body, rows, (float)page["current_max_amp"]!, (float)page["current_min_amp"]!);
    }

    /// <summary>Pulls every <paramref name="every"/> until at least <paramref name="lines"/> rows came back (201s only).</summary>
    public static async Task<List<Row>> PullUntil(this HttpClient http, string jobId, int lines, int rowCount = 1000, int every = 50)
    {
        var rows = new List<Row>();
        var deadline = DateTime.UtcNow + FocusApi.Deadline;
        while (rows.Count < lines)
        {
            var page = await http.Pull(jobId, rowCount);
            Assert.True(page.Status is HttpStatusCode.Created or HttpStatusCode.OK, $"pull answered {(int)page.Status}: {page.Body}");
            rows.AddRange(page.Rows);
            Assert.True(DateTime.UtcNow < deadline, $"only {rows.Count} of {lines} lines pulled within {FocusApi.Deadline}");
            if (page.Rows.Length == 0) await Task.Delay(every);
        }
        return rows;
    }

    /// <summary>Polls /metadata until <paramref name="condition"/> holds.</summary>
    public static async Task<JsonObject> WaitForMetadata(this HttpClient http, string jobId, Func<JsonObject, bool> condition, string what, TimeSpan within)
    {
        var metadata = new JsonObject();
        await Eventually(async () => condition(metadata = await http.Metadata(jobId)),
            () => $"job {jobId}: {what} not seen: {metadata.ToJsonString()}", within, TimeSpan.FromMilliseconds(100));
        return metadata;
    }
}
