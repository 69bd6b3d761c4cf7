using System.Net;
using System.Text.Json.Nodes;
using Focus.IntegrationTests.Infrastructure;

namespace Focus.IntegrationTests.Gateway;

[Collection(ServiceCollection.Name)]
public sealed class ConfigureTests(FocusService service)
{
    private HttpClient Http => service.Http;

    [Fact]
    public async Task Live_multichannel_answers_the_production_shape()
    {
        var job = await Http.Configure(FocusApi.LiveBody(min: 3, max: 7, height: 1000, duration: 10, nfft: 256, fmin: 0, fmax: 500));
        try
        {
            Assert.Equal("success", (string)job["status"]!);
            Assert.Equal("127.0.0.1", (string)job["stream_url"]!);
            Assert.InRange((int)job["stream_port"]!, 1, 65535);
            Assert.Equal(0, (int)job["view_type"]!);
            Assert.Equal(5, (int)job["channel_amount"]!);
            Assert.Equal(5, (int)job["stream_amount"]!);
            var mapping = job["channel_to_stream_index"]!.AsObject();
            Assert.Equal(Enumerable.Range(3, 5).Select(c => c.ToString()), mapping.Select(p => p.Key));
            Assert.Equal(Enumerable.Range(0, 5), mapping.Select(p => (int)p.Value!));
            // prr 2000, d 10 s, height 1000: hop = 20 samples, lines_dt = 0.01 s; nfft 256 keeps overlap 0.92.
            Assert.Equal(0.01, (double)job["lines_dt"]!, 9);
            Assert.Equal(256, (int)job["internal_nfft"]!);
            var frequencies = job["frequencies_list"]!.AsArray().Select(f => (double)f!).ToArray();
            Assert.Equal(frequencies.Length, (int)job["frequencies_amount"]!);
            Assert.Equal(0.0, frequencies[0]);
            Assert.Equal(7.8125, frequencies[1], 9);
            Assert.True(frequencies[^1] <= 500);
            Assert.Equal(65, frequencies.Length);
            Assert.Equal(2000.0, (double)job["metadata"]!["prr"]!);
            Assert.Equal(2222, (int)job["metadata"]!["number_of_channels"]!);
            Assert.Equal("live", (string)job["mode"]!);
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", (string)job["created_at"]!);
        }
        finally
        {
            await Http.Delete((string)job["job_id"]!);
        }
    }

    [Fact]
    public async Task Waterfall_derives_hop_from_the_line_rate()
    {
        var job = await Http.Configure(FocusApi.WaterfallBody(min: 1, max: 20));
        try
        {
            // prr 2000 at 100 lines/s: hop = internal_nfft = 20 samples, lines_dt 0.01 s.
            Assert.Equal(20, (int)job["internal_nfft"]!);
            Assert.Equal(0.01, (double)job["lines_dt"]!, 9);
            Assert.Empty(job["frequencies_list"]!.AsArray());
            Assert.Equal(0, (int)job["frequencies_amount"]!);
            Assert.Equal(1, (int)job["stream_amount"]!);
            Assert.All(job["channel_to_stream_index"]!.AsObject(), p => Assert.Equal(0, (int)p.Value!));
            Assert.Equal(20, job["channel_to_stream_index"]!.AsObject().Count);
        }
        finally
        {
            await Http.Delete((string)job["job_id"]!);
        }
    }

    [Fact]
    public async Task Correlation_id_is_echoed_or_made()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "ack");
        request.Headers.Add("X-Correlation-ID", "abc-123");
        using var echoed = await Http.SendAsync(request);
        Assert.Equal("abc-123", echoed.Headers.GetValues("X-Correlation-ID").Single());

        using var made = await Http.GetAsync("ack");
        Assert.False(string.IsNullOrEmpty(made.Headers.GetValues("X-Correlation-ID").Single()));
    }

    [Theory]
    [InlineData("""{"displayInfo":{"height":10},"channels":{"min":1,"max":2}}""", "view_type")]
    [InlineData("""{"view_type":0,"channels":{"min":1,"max":2}}""", "displayInfo")]
    [InlineData("""{"view_type":0,"displayInfo":{},"channels":{"min":1,"max":2}}""", "displayInfo.height")]
    [InlineData("""{"view_type":0,"displayInfo":{"height":10},"channels":{"min":1,"max":2},"nfftSelection":1000}""", "nfftSelection")]
    [InlineData("""{"view_type":0,"displayInfo":{"height":10},"channels":{"min":1,"max":2223}}""", "channels.max")]
    [InlineData("""{"view_type":0,"displayInfo":{"height":10},"channels":{"min":1,"max":2},"frequencyRange":{"min":0,"max":1001}}""", "frequencyRange.max")]
    [InlineData("""{"view_type":1,"displayInfo":{"height":10},"channels":{"min":1,"max":2}}""", "channels")]
    [InlineData("""{"view_type":2,"displayInfo":{"height":10},"channels":{"min":1,"max":2},"frequencyRange":{"min":0,"max":10}}""", "frequencyRange")]
    [InlineData("""{"view_type":0,"displayInfo":{"height":10},"channels":{"min":1,"max":2},"start_time":1700000000}""", "end_time")]
    [InlineData("""{"view_type":"nope","displayInfo":{"height":10},"channels":{"min":1,"max":2}}""", "view_type")]
    [InlineData("""{"view_type":0,"displayInfo":{"height":"tall"},"channels":{"min":1,"max":2}}""", "displayInfo.height")]
    [InlineData("""{"view_type":0,"displayInfo":{"height":1e400},"channels":{"min":1,"max":2}}""", "displayInfo.height")]
    [InlineData("""{"view_type":0,"displayInfo":{"height":10},"channels":{"min":1,"max":2},"displayTimeAxisDuration":"NaN"}""", "displayTimeAxisDuration")]
    [InlineData("""{"view_type":0,"displayInfo":{"height":10""", "body")]
    [InlineData("""[1,2,3]""", "body")]
    [InlineData("", "body")]
    public async Task Bad_requests_are_422_naming_the_field(string body, string field)
    {
        var portsBefore = service.Get<Focus.Grains.Analyzers.StreamPortPool>().InUse;
        using var response = await Http.PostJson("configure", body);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Json();
        Assert.Equal(422, (int)problem["status"]!);
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), $"errors should name {field}: {problem.ToJsonString()}");
        Assert.Equal((string)problem["detail"]!, (string)problem["error"]!);
        Assert.Contains(field.Split('.')[0], (string)problem["detail"]!);
        Assert.Equal(portsBefore, service.Get<Focus.Grains.Analyzers.StreamPortPool>().InUse);
    }

    [Fact]
    public async Task Bodies_over_one_MiB_are_413()
    {
        var padding = new string(' ', 1024 * 1024 + 1);
        using var response = await Http.PostJson("configure", "{" + padding + "}");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var problem = await response.Json();
        Assert.Equal(413, (int)problem["status"]!);
        Assert.NotNull(problem["error"]);
    }

    [Fact]
    public async Task Historic_requests_with_no_recording_in_the_window_are_400()
    {
        var body = FocusApi.LiveBody();
        body["start_time"] = 1_700_000_000; // long before the generated sample recording
        body["end_time"] = 1_700_000_600;
        using var response = await Http.PostJson("configure", body.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("No recording found in given time range", (string)(await response.Json())["error"]!);
    }

    [Fact]
    public async Task Idempotency_key_returns_the_same_job_and_refuses_another_body()
    {
        var key = Guid.NewGuid().ToString();
        var body = FocusApi.LiveBody(min: 10, max: 12).ToJsonString();
        using var first = await Http.PostJson("configure", body, key);
        using var again = await Http.PostJson("configure", body, key);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var jobId = (string)(await first.Json())["job_id"]!;
        Assert.Equal(jobId, (string)(await again.Json())["job_id"]!);
        try
        {
            using var other = await Http.PostJson("configure", FocusApi.LiveBody(min: 10, max: 13).ToJsonString(), key);
            Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
            Assert.NotNull((await other.Json())["error"]);
        }
        finally
        {
            await Http.Delete(jobId);
        }
    }
}
