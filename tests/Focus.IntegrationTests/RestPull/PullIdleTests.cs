using System.Net;
using Focus.IntegrationTests.EndToEnd;
using Focus.IntegrationTests.Infrastructure;

namespace Focus.IntegrationTests.RestPull;

/// <summary>A pull is a read: it keeps a job alive (2 s idle timeout here); a buffer nobody pulls closes and the job expires.</summary>
public sealed class PullIdleTests(ShortIdleService service) : IClassFixture<ShortIdleService>
{
    private HttpClient Http => service.Http;

    [Fact]
    public async Task Pulls_keep_a_job_alive_and_once_they_stop_it_expires_and_pulls_are_208()
    {
        var job = await Http.Configure(FocusApi.LiveBody(min: 7, max: 7, view: 1));
        var jobId = (string)job["job_id"]!;
        var until = DateTime.UtcNow.AddSeconds(5); // 2.5 idle timeouts
        var rows = 0;
        while (DateTime.UtcNow < until)
        {
            var page = await Http.Pull(jobId, 1000);
            Assert.True(page.Status is HttpStatusCode.OK or HttpStatusCode.Created, $"pull answered {(int)page.Status}: {page.Body}");
            rows += page.Rows.Length;
            await Task.Delay(100);
        }
        var metadata = await Http.Metadata(jobId);
        Assert.Equal("running", (string)metadata["state"]!);
        Assert.True(rows > 0);

        await Http.WaitForMetadata(jobId, m => (string)m["state"]! == "expired", "expiry", TimeSpan.FromSeconds(15));
        Assert.Equal(HttpStatusCode.AlreadyReported, (await Http.Pull(jobId, 5)).Status);
        Assert.True(FreePorts.CanBind((int)job["stream_port"]!));
    }
}
