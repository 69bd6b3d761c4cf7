using System.Net;
using Focus.IntegrationTests.Infrastructure;

namespace Focus.IntegrationTests.Auth;

/// <summary><c>Focus:Auth:Mode=none</c>: the production shape and trust model, with the opt-in management port and rate limit.</summary>
public sealed class OpenModeTests(OpenLimitsService service) : IClassFixture<OpenLimitsService>
{
    [Fact]
    public async Task The_configure_rate_limit_answers_429_with_retry_after_naming_the_limit()
    {
        // Bodies the gateway refuses (422) still count: the bucket is taken before the request is read.
        var invalid = FocusApi.LiveBody(nfft: 1000).ToJsonString();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await service.Http.PostJson("configure", invalid)).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await service.Http.PostJson("configure", invalid)).StatusCode);

        var limited = await service.Http.PostJson("configure", invalid);
        await AuthAssert.Refused(limited, HttpStatusCode.TooManyRequests);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After");
        var detail = (string)(await limited.Json())["detail"]!;
        Assert.Contains("Focus:RateLimits:Configure", detail);
        Assert.Contains("2 calls at once", detail);
    }

    [Fact]
    public async Task With_a_management_port_metrics_and_dashboard_move_there_and_probes_stay_on_both()
    {
        foreach (var path in new[] { "metrics", "dashboard" })
            Assert.Equal(HttpStatusCode.NotFound, (await service.Http.GetAsync(path)).StatusCode);
        using var management = service.Management();
        var metrics = await management.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("focus_", await metrics.Content.ReadAsStringAsync());
        Assert.True((await management.GetAsync("dashboard")).IsSuccessStatusCode);
        foreach (var path in new[] { "ack", "health/live" })
        {
            Assert.Equal(HttpStatusCode.OK, (await service.Http.GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await management.GetAsync(path)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await management.GetAsync("channels")).StatusCode);
    }

    [Fact]
    public async Task Any_origin_is_allowed_and_no_route_asks_for_credentials()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "job/1-1");
        preflight.Headers.Add("Origin", "https://any.example");
        preflight.Headers.Add("Access-Control-Request-Method", "DELETE");
        var response = await service.Http.SendAsync(preflight);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        foreach (var path in new[] { "jobs", "channels", "live_metadata", "openapi.json" })
            Assert.Equal(HttpStatusCode.OK, (await service.Http.GetAsync(path)).StatusCode);
    }
}

/// <summary>Auth off keeps production's answers: no <c>owner</c> or <c>stream_token</c> anywhere.</summary>
[Collection(ServiceCollection.Name)]
public sealed class OpenModeShapeTests(FocusService service)
{
    [Fact]
    public async Task Configure_metadata_and_jobs_carry_no_owner_or_stream_token()
    {
        var job = await service.Http.Configure(FocusApi.LiveBody());
        var jobId = (string)job["job_id"]!;
        try
        {
            var metadata = await service.Http.Metadata(jobId);
            var list = await (await service.Http.GetAsync("jobs")).Content.ReadAsStringAsync();
            foreach (var body in new[] { job.ToJsonString(), metadata.ToJsonString(), list })
            {
                Assert.DoesNotContain("\"owner\"", body);
                Assert.DoesNotContain("\"stream_token\"", body);
            }
        }
        finally
        {
            await service.Http.Delete(jobId);
        }
    }
}
