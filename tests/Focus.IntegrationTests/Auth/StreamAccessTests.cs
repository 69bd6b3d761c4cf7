using System.Net;
using Focus.Analyzer.Streaming.Protos;
using Focus.Grains.Security;
using Focus.IntegrationTests.Infrastructure;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Web;
using Grpc.Reflection.V1Alpha;

namespace Focus.IntegrationTests.Auth;

/// <summary>With auth on, a job's port wants the job's <c>stream_token</c>, and the viewer relay the owner's identity.</summary>
[Collection(ApiKeyCollection.Name)]
public sealed class StreamAccessTests(ApiKeyService service)
{
    [Fact]
    public async Task A_jobs_port_refuses_calls_without_its_token_and_serves_them_with_it()
    {
        using var alice = service.As(ApiKeyService.AliceKey);
        var job = await alice.Configure(FocusApi.LiveBody(min: 12, max: 12, view: 1, nfft: 1024));
        var other = await alice.Configure(FocusApi.LiveBody(min: 20, max: 20, view: 1, nfft: 1024));
        var jobId = (string)job["job_id"]!;
        try
        {
            using var channel = FocusApi.Channel(job);
            await AssertRefused(channel, null, StatusCode.Unauthenticated);
            await AssertRefused(channel, "Bearer not-a-token", StatusCode.Unauthenticated);
            await AssertRefused(channel, $"Bearer {(string)other["stream_token"]!}", StatusCode.PermissionDenied);

            var keys = new StreamTokenOptions { Keys = [new StreamTokenKeyOptions { Id = "k1", Secret = ApiKeyService.StreamSecret }] };
            var expired = new StreamTokens(keys, TimeProvider.System).Mint(jobId, DateTimeOffset.UtcNow.AddMinutes(-1));
            await AssertRefused(channel, $"Bearer {expired}", StatusCode.Unauthenticated);
            var forgedKeys = new StreamTokenOptions { Keys = [new StreamTokenKeyOptions { Id = "k1", Secret = Convert.ToBase64String(new byte[32]) }] };
            var forged = new StreamTokens(forgedKeys, TimeProvider.System).Mint(jobId);
            await AssertRefused(channel, $"Bearer {forged}", StatusCode.Unauthenticated);

            var headers = new Metadata { { "authorization", $"Bearer {(string)job["stream_token"]!}" } };
            using (var call = new DataStreamService.DataStreamServiceClient(channel).StreamData(new StreamDataRequest { StreamId = 0 }, headers))
                Assert.Equal(5, (await call.ReadLines(5)).Count);

            // After DELETE the token opens nothing: the port is closed.
            await alice.Delete(jobId);
            await AssertRefused(channel, $"Bearer {(string)job["stream_token"]!}", StatusCode.Unavailable);
        }
        finally
        {
            await alice.DeleteAsync($"job/{jobId}");
            await alice.Delete((string)other["job_id"]!);
        }
    }

    [Fact]
    public async Task The_viewer_relay_serves_the_owner_and_refuses_other_analysts_and_strangers()
    {
        using var alice = service.As(ApiKeyService.AliceKey);
        var jobId = (string)(await alice.Configure(FocusApi.LiveBody(min: 12, max: 12, view: 1, nfft: 1024)))["job_id"]!;
        try
        {
            using (var owner = Relay(jobId, ApiKeyService.AliceKey))
            using (var call = FocusApi.Stream(owner, 0))
                Assert.Equal(5, (await call.ReadLines(5)).Count); // the relay presented the stream token upstream
            Assert.Contains(service.Logs.Lines, l => l.Category == "Focus.Audit" && l.Message.Contains($"alice from 127.0.0.1 attached to job {jobId} stream 0"));

            using (var bob = Relay(jobId, ApiKeyService.BobKey))
                Assert.Equal(StatusCode.PermissionDenied, await Status(FocusApi.Stream(bob, 0)));
            using (var stranger = Relay(jobId, null))
                Assert.Equal(StatusCode.Unauthenticated, await Status(FocusApi.Stream(stranger, 0)));
        }
        finally
        {
            await alice.Delete(jobId);
        }
    }

    [Fact]
    public async Task A_jobs_port_does_not_describe_itself_by_reflection_with_auth_on()
    {
        using var alice = service.As(ApiKeyService.AliceKey);
        var job = await alice.Configure(FocusApi.LiveBody());
        try
        {
            using var channel = FocusApi.Channel(job);
            var headers = new Metadata { { "authorization", $"Bearer {(string)job["stream_token"]!}" } };
            using var call = new ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo(headers);
            var error = await Assert.ThrowsAsync<RpcException>(async () =>
            {
                await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" }).WaitAsync(FocusApi.Deadline);
                await call.ResponseStream.MoveNext().WaitAsync(FocusApi.Deadline);
            });
            Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
        }
        finally
        {
            await alice.Delete((string)job["job_id"]!);
        }
    }

    private static async Task AssertRefused(GrpcChannel channel, string? authorization, StatusCode expected)
    {
        var headers = authorization is null ? null : new Metadata { { "authorization", authorization } };
        var call = new DataStreamService.DataStreamServiceClient(channel).StreamData(new StreamDataRequest { StreamId = 0 }, headers);
        Assert.Equal(expected, await Status(call));
    }

    private static async Task<StatusCode> Status(AsyncServerStreamingCall<DataStream> call)
    {
        using (call)
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext().WaitAsync(FocusApi.Deadline));
            return error.StatusCode;
        }
    }

    private GrpcChannel Relay(string jobId, string? key) => RelayChannel.ApiKey(service.BaseAddress, jobId, key);
}
