using Focus.IntegrationTests.Infrastructure;
using Grpc.Core;
using static Focus.IntegrationTests.Historic.HistoricSeeds;

namespace Focus.IntegrationTests.Historic;

/// <summary>
/// Issue 13: a job plays its window for at most <c>Focus:Historic:MaxConcurrentReplays</c> replays at once; a call
/// beyond is RESOURCE_EXHAUSTED with the reason, and is served again once a replay has ended.
/// </summary>
public sealed class ReplayLimitTests(ReplayLimitTests.Service service) : IClassFixture<ReplayLimitTests.Service>
{
    public sealed class Service() : SeededStorageService("replay-limit", new Dictionary<string, string?>
    {
        ["Focus:Historic:MaxConcurrentReplays"] = "1",
    });

    [Fact]
    public async Task A_replay_beyond_the_limit_is_resource_exhausted_until_one_ends()
    {
        // SINGLECHANNEL over the 420 s "Hole" window: 42,000 lines, far more than a call buffers, so the first
        // replay goes on only as its client reads.
        var body = FocusApi.LiveBody(min: ToneChannel, max: ToneChannel, view: 1, height: 1000, duration: 10, nfft: 256, fmin: null, fmax: null);
        body["start_time"] = Hole.Start.ToUnixTimeSeconds();
        body["end_time"] = Hole.End.ToUnixTimeSeconds();
        var job = await service.Http.Configure(body);
        using var channel = FocusApi.Channel(job);
        try
        {
            var first = FocusApi.Stream(channel, 0);
            await first.Next();

            using (var second = FocusApi.Stream(channel, 0))
            {
                var refused = await Assert.ThrowsAsync<RpcException>(() => second.ResponseStream.MoveNext().WaitAsync(FocusApi.Deadline));
                Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
                Assert.Contains("Focus:Historic:MaxConcurrentReplays", refused.Status.Detail);
            }

            first.Dispose(); // the client leaves; its replay ends at its next block
            var deadline = DateTime.UtcNow + FocusApi.Deadline;
            while (true)
            {
                using var again = FocusApi.Stream(channel, 0);
                try
                {
                    Assert.Equal(0, (await again.Next()).RowIndex[0]); // a replay from the window's start
                    break;
                }
                catch (RpcException ex) when (ex.StatusCode == StatusCode.ResourceExhausted && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(50);
                }
            }
        }
        finally
        {
            await service.Http.Delete((string)job["job_id"]!);
        }
    }
}
