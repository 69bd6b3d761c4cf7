using System.Net;
using System.Text.Json.Nodes;
using Focus.IntegrationTests.Infrastructure;

namespace Focus.IntegrationTests.Gateway;

[Collection(ServiceCollection.Name)]
public sealed class OperationsTests(FocusService service)
{
    private HttpClient Http => service.Http;

    [Fact]
    public async Task Ack_and_health_answer()
    {
        using var ack = await Http.GetAsync("ack");
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        Assert.Equal("{}", await ack.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync("health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync("health/ready")).StatusCode);
    }

    [Fact]
    public async Task Another_method_is_405()
    {
        using var response = await Http.GetAsync("configure");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        using var put = await Http.PutAsync("ack", new StringContent(""));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, put.StatusCode);
    }

    [Fact]
    public async Task Fiber_routes_describe_the_simulated_fiber()
    {
        var channels = await (await Http.GetAsync("channels")).Json();
        Assert.Equal(1, (int)channels["lowest_channel"]!);
        Assert.Equal(2222, (int)channels["highest_channel"]!);

        var live = await (await Http.GetAsync("live_metadata")).Json();
        Assert.Equal(2000.0, (double)live["prr"]!);
        Assert.Equal(2222, (int)live["number_of_channels"]!);
        Assert.Equal("float32", (string)live["dtype"]!);
        Assert.True(live["fiber_length_meters"]!.GetValueKind() == System.Text.Json.JsonValueKind.Number);
        Assert.Equal((long)live["fiber_length_meters"]!, (double)live["fiber_length_meters"]!);
        Assert.True((int)live["num_samples_per_trace"]! > 0);
        Assert.False(string.IsNullOrEmpty((string)live["interrogator_id"]!));
        Assert.EndsWith("Z", (string)live["received_at"]!);

        var sensors = await (await Http.GetAsync("sensors")).Json();
        var numbers = sensors["sensors"]!.AsArray();
        var positions = sensors["positions_m"]!.AsArray();
        Assert.Equal(2222, numbers.Count);
        Assert.Equal(2222, positions.Count);
        Assert.Equal(1, (int)numbers[0]!);
        Assert.Equal((double)live["dx"]!, (double)positions[1]! - (double)positions[0]!, 6);
    }

    [Fact]
    public async Task Recordings_routes_validate_and_report_an_empty_catalog()
    {
        using var ok = await Http.PostJson("recordings_in_time_range", """{"start_time": 1727200000, "end_time": 1727203600}""");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Empty((await ok.Json())["recordings"]!.AsArray());

        using var bad = await Http.PostJson("recordings_in_time_range", """{"start_time": 1727203600, "end_time": 1727200000}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);

        using var page = await Http.GetAsync("get_recordings_timeline");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<svg", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OpenApi_describes_ConfigureRequest_with_an_integer_view_type()
    {
        var document = await (await Http.GetAsync("openapi.json")).Json();
        var schema = document["components"]!["schemas"]!["ConfigureRequest"]!;
        var viewType = schema["properties"]!["view_type"]!;
        Assert.Equal("integer", (string)viewType["type"]!);
        Assert.Equal([0, 1, 2], viewType["enum"]!.AsArray().Select(v => (int)v!));
        Assert.NotNull(document["paths"]!["/configure"]!["post"]);
    }

    [Fact]
    public async Task Metrics_expose_the_contract_names()
    {
        var job = await Http.Configure(FocusApi.LiveBody(min: 60, max: 60));
        using (var channel = FocusApi.Channel(job))
        using (var call = FocusApi.Stream(channel, 0))
            await call.ReadLines(1);
        await Http.Delete((string)job["job_id"]!);
        var text = await Http.GetStringAsync("metrics");
        foreach (var name in new[]
                 {
                     "focus_jobs_created_total", "focus_jobs_running", "focus_jobs_failed_total", "focus_queue_depth",
                     "focus_config_apply_seconds_bucket", "focus_time_to_first_frame_seconds_bucket",
                     "focus_lines_emitted_total", "focus_gaps_total",
                 })
            Assert.Contains(name, text);
    }

    [Fact]
    public async Task Dashboard_is_served()
    {
        using var response = await Http.GetAsync("dashboard/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<html", (await response.Content.ReadAsStringAsync()).ToLowerInvariant());
    }

    [Fact]
    public async Task Cors_allows_any_origin_by_default()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "configure");
        request.Headers.Add("Origin", "http://analyst.example");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        using var response = await Http.SendAsync(request);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }
}
