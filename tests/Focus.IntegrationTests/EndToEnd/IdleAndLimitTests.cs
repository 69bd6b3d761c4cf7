using System.Net;
using Focus.Grains.Analyzers;
using Focus.IntegrationTests.Infrastructure;
using Grpc.Core;
using static Focus.IntegrationTests.Infrastructure.Polling;

namespace Focus.IntegrationTests.EndToEnd;

public sealed class IdleAndLimitTests(ShortIdleService service) : IClassFixture<ShortIdleService>
{
    private HttpClient Http => service.Http;

    [Fact]
    public async Task A_job_nobody_reads_expires_and_frees_its_port()
    {
        var job = await Http.Configure(FocusApi.LiveBody(min: 1, max: 2));
        var jobId = (string)job["job_id"]!;
        var port = (int)job["stream_port"]!;

        var metadata = await WaitForState(jobId, "expired", TimeSpan.FromSeconds(15));
        Assert.Equal("error", (string)metadata["status"]!);
        Assert.True(FreePorts.CanBind(port));
    }

    [Fact]
    public async Task A_job_being_read_does_not_expire_and_its_reader_ends_CANCELLED_on_expiry()
    {
        var job = await Http.Configure(FocusApi.LiveBody(min: 3, max: 3, view: 1));
        var jobId = (string)job["job_id"]!;
        using var channel = FocusApi.Channel(job);
        using (var call = FocusApi.Stream(channel, 0))
        {
            var until = DateTime.UtcNow.AddSeconds(4); // twice the idle timeout
            while (DateTime.UtcNow < until) await call.Next();
            Assert.Equal("running", (string)(await Http.Metadata(jobId))["state"]!);
            Assert.Equal(1, (int)(await Http.Metadata(jobId))["connected_clients"]!);
        }

        await WaitForState(jobId, "expired", TimeSpan.FromSeconds(15));
        using var late = FocusApi.Stream(channel, 0);
        var error = await Assert.ThrowsAsync<RpcException>(() => late.ResponseStream.MoveNext().WaitAsync(FocusApi.Deadline));
        Assert.Contains(error.StatusCode, new[] { StatusCode.Cancelled, StatusCode.Unavailable });
    }

    [Fact]
    public async Task Beyond_the_limit_configure_is_503_with_Retry_After_and_a_slot_frees_on_delete()
    {
        var ids = new List<string>();
        try
        {
            // Other tests of this class may hold slots for a moment; fill what is left.
            while (true)
            {
                using var response = await Http.PostJson("configure", FocusApi.LiveBody(min: 10, max: 10).ToJsonString());
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    Assert.True(response.Headers.RetryAfter is not null, "503 carries Retry-After");
                    Assert.Contains("limit", (string)(await response.Json())["error"]!);
                    break;
                }
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                ids.Add((string)(await response.Json())["job_id"]!);
                Assert.True(ids.Count <= 3, "admitted more than Focus:Jobs:MaxConcurrent");
            }
            Assert.NotEmpty(ids);
            await Http.Delete(ids[0]);
            ids.RemoveAt(0);
            var again = await Http.Configure(FocusApi.LiveBody(min: 11, max: 11));
            ids.Add((string)again["job_id"]!);
        }
        finally
        {
            foreach (var id in ids) await Http.Delete(id);
        }
        Assert.Equal(0, service.Get<StreamPortPool>().InUse);
    }

    [Fact]
    public async Task Routes_live_under_the_path_base()
    {
        Assert.EndsWith("/focus-server/", Http.BaseAddress!.ToString());
        using var ack = await Http.GetAsync("ack");
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
    }

    private async Task<System.Text.Json.Nodes.JsonObject> WaitForState(string jobId, string state, TimeSpan within)
    {
        var metadata = new System.Text.Json.Nodes.JsonObject();
        await Eventually(async () => (string?)(metadata = await Http.Metadata(jobId))["state"] == state,
            () => $"job {jobId} is {(string?)metadata["state"]}, not {state}", within, TimeSpan.FromMilliseconds(100));
        return metadata;
    }
}
