using System.Net;
using Focus.IntegrationTests.Infrastructure;

namespace Focus.IntegrationTests.Live;

/// <summary>The broker goes away mid-stream and comes back.</summary>
[Collection(LiveCollection.Name)]
public sealed class BrokerRestartTests(LiveService service)
{
    [Fact]
    public async Task Streams_stay_open_and_resume_without_duplicate_lines_while_readiness_and_configure_follow_the_broker()
    {
        var job = await service.Http.Configure(FocusApi.LiveBody(min: 20, max: 21, nfft: 256));
        var jobId = (string)job["job_id"]!;
        try
        {
            using var channel = FocusApi.Channel(job);
            using var call = FocusApi.Stream(channel, 0);
            var before = await call.ReadLines(20);
            Assert.Equal(HttpStatusCode.OK, (await service.Http.GetAsync("health/ready")).StatusCode);

            await TestBroker.Ctl_("stop_app");
            try
            {
                await TestBroker.Eventually(async () => (await service.Http.GetAsync("health/ready")).StatusCode == HttpStatusCode.ServiceUnavailable,
                    "/health/ready turns 503 while the broker is down");
                using var refused = await service.Http.PostJson("configure", FocusApi.LiveBody(min: 1, max: 2).ToJsonString());
                Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
                Assert.NotNull(refused.Headers.RetryAfter);
                Assert.Equal("running", (string?)(await service.Http.Metadata(jobId))["state"]);
            }
            finally
            {
                await TestBroker.Ctl_("start_app");
            }

            await TestBroker.Eventually(async () => (await service.Http.GetAsync("health/ready")).StatusCode == HttpStatusCode.OK,
                "/health/ready is 200 again once the broker is back (metadata consumed again)", TimeSpan.FromSeconds(30));
            // The job's input reconnects on its own backoff (up to 5 s), after readiness: wait for its queue, declared
            // again on the restarted broker (a non-durable queue does not survive the restart).
            await TestBroker.Eventually(async () => (await TestBroker.Queues()).ContainsKey(jobId + "_live"),
                "the job's queue is declared again on the restarted broker", TimeSpan.FromSeconds(30));
            var after = await call.ReadLines(40); // the same call: the stream stayed open
            var rows = before.Concat(after).Select(l => l.RowIndex).ToList();
            for (var i = 1; i < rows.Count; i++) Assert.True(rows[i] > rows[i - 1], $"row {rows[i]} after {rows[i - 1]}: no duplicates, only forward");
            Assert.True(after[0].TimestampMs > before[^1].TimestampMs);
        }
        finally
        {
            await service.Http.Delete(jobId);
        }
    }
}
