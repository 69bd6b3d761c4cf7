using Focus.Analyzer.Streaming.Protos;
using Focus.IntegrationTests.Infrastructure;
using Grpc.Core;

namespace Focus.IntegrationTests.Auth;

/// <summary>apikey mode with <c>Focus:Analyzer:Host=process</c>: the job's own process checks the gateway's stream tokens.</summary>
public sealed class ProcessHostApiKeyService() : ApiKeyService(new Dictionary<string, string?>
{
    ["Focus:Analyzer:Host"] = "process",
    ["Focus:Analyzer:SpareProcesses"] = "0",
});

public sealed class ProcessHostStreamAccessTests(ProcessHostApiKeyService service) : IClassFixture<ProcessHostApiKeyService>
{
    [Fact]
    public async Task An_analyzer_process_serves_the_token_and_refuses_calls_without_it()
    {
        using var alice = service.As(ApiKeyService.AliceKey);
        var job = await alice.Configure(FocusApi.LiveBody(min: 12, max: 12, view: 1, nfft: 1024));
        try
        {
            using var channel = FocusApi.Channel(job);
            using (var bare = FocusApi.Stream(channel, 0))
                Assert.Equal(StatusCode.Unauthenticated,
                    (await Assert.ThrowsAsync<RpcException>(() => bare.ResponseStream.MoveNext().WaitAsync(FocusApi.Deadline))).StatusCode);

            var headers = new Metadata { { "authorization", $"Bearer {(string)job["stream_token"]!}" } };
            using var call = new DataStreamService.DataStreamServiceClient(channel).StreamData(new StreamDataRequest { StreamId = 0 }, headers);
            Assert.Equal(5, (await call.ReadLines(5)).Count);
        }
        finally
        {
            await alice.Delete((string)job["job_id"]!);
        }
    }
}
