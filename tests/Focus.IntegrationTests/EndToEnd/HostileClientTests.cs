using System.Net;
using Focus.Grains.Analyzers;
using Focus.IntegrationTests.Infrastructure;
using static Focus.IntegrationTests.Infrastructure.Polling;

namespace Focus.IntegrationTests.EndToEnd;

/// <summary>A client that takes too much, asks too much or asks for nothing, over HTTP: a clear 4xx, nothing left behind.</summary>
public sealed class HostileClientTests(HostileClientService service) : IClassFixture<HostileClientService>
{
    private HttpClient Http => service.Http;

    [Fact]
    public async Task Beyond_its_quota_a_client_gets_429_naming_the_quota_with_Retry_After()
    {
        var ids = new List<string>();
        try
        {
            for (var i = 0; i < 2; i++) ids.Add((string)(await Http.Configure(FocusApi.LiveBody(min: 20 + i, max: 20 + i)))["job_id"]!);

            using var refused = await Http.PostJson("configure", FocusApi.LiveBody(min: 30, max: 30).ToJsonString());
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(refused.Headers.RetryAfter);
            var body = await refused.Json();
            Assert.Contains("Focus:Jobs:MaxPerClient", (string)body["detail"]!);
            Assert.Equal((string)body["detail"]!, (string)body["error"]!);

            await Http.Delete(ids[0]);
            ids.RemoveAt(0);
            ids.Add((string)(await Http.Configure(FocusApi.LiveBody(min: 31, max: 31)))["job_id"]!);
        }
        finally
        {
            foreach (var id in ids) await Http.Delete(id);
        }
        Assert.Equal(0, service.Get<StreamPortPool>().InUse);
    }

    [Fact]
    public async Task A_request_no_silo_could_compute_in_real_time_is_a_422_naming_the_fields_and_limits()
    {
        var body = FocusApi.LiveBody(min: 1, max: 2222, nfft: 65536, duration: 1e-9);
        body.Remove("frequencyRange");
        using var response = await Http.PostJson("configure", body.ToJsonString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Json();
        var detail = (string)problem["detail"]!;
        Assert.Contains("Focus:Admission:MaxLinesPerSecond", detail);
        Assert.Contains("Focus:Admission:MaxFftSamplesPerSecond", detail);
        Assert.Equal(detail, (string)problem["error"]!);
        var errors = problem["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("displayTimeAxisDuration") && errors.ContainsKey("channels") && errors.ContainsKey("nfftSelection"), errors.ToJsonString());
        Assert.Equal(0, service.Get<StreamPortPool>().InUse);
    }

    [Fact]
    public async Task An_ended_job_is_404_Invalid_job_id_once_its_retention_has_passed()
    {
        var jobId = (string)(await Http.Configure(FocusApi.LiveBody(min: 40, max: 40)))["job_id"]!;
        await Http.Delete(jobId);
        Assert.Equal("cancelled", (string)(await Http.Metadata(jobId))["state"]!);

        await Eventually(async () =>
        {
            using var response = await Http.GetAsync($"metadata/{jobId}");
            if (response.StatusCode != HttpStatusCode.NotFound)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                return false;
            }
            Assert.Contains("Invalid job_id", (string)(await response.Json())["error"]!);
            return true;
        }, $"job {jobId} is forgotten (retention 1 s)", TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(100));
        using var again = await Http.DeleteAsync($"job/{jobId}");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }
}
