using System.Net;
using Focus.Analyzer.Streaming.Protos;
using Focus.Gateway.Streaming;
using Focus.IntegrationTests.Infrastructure;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Web;
using static Focus.IntegrationTests.Infrastructure.Polling;

namespace Focus.IntegrationTests.Viewer;

/// <summary>The gateway's gRPC-Web relay of job streams, read as a browser would (gRPC-Web over HTTP/1.1).</summary>
[Collection(ServiceCollection.Name)]
public sealed class ViewerRelayTests(FocusService service)
{
    private HttpClient Http => service.Http;

    /// <summary>A gRPC-Web channel to <c>{base}viewer-stream/{job}/</c>: the relay of one job.</summary>
    private GrpcChannel Relay(string jobId) =>
        GrpcChannel.ForAddress(service.BaseAddress, new GrpcChannelOptions
        {
            HttpHandler = new GrpcWebHandler(GrpcWebMode.GrpcWeb, new PrefixHandler($"viewer-stream/{jobId}", new HttpClientHandler())),
            HttpVersion = HttpVersion.Version11,
            HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        });

    [Fact]
    public async Task The_relay_forwards_the_jobs_lines_to_a_grpc_web_client()
    {
        var job = await Http.Configure(FocusApi.LiveBody(min: 12, max: 12, view: 1, nfft: 1024, fmin: 0, fmax: 500));
        var jobId = (string)job["job_id"]!;
        try
        {
            using var channel = Relay(jobId);
            using var call = FocusApi.Stream(channel, 0);
            var lines = await call.ReadLines(30);
            Assert.All(lines, l => Assert.Equal((int)job["frequencies_amount"]!, l.Values.Length));
            Assert.All(lines, l => Assert.Equal(12, l.Message.StartChannel));
            for (var i = 1; i < lines.Count; i++) Assert.True(lines[i].RowIndex > lines[i - 1].RowIndex);
            var clients = 0; // reported by the analyzer every second
            await Eventually(async () => (clients = (int)(await Http.Metadata(jobId))["connected_clients"]!) != 0, "a connected client",
                TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100));
            Assert.Equal(1, clients);
        }
        finally
        {
            await Http.Delete(jobId);
        }
    }

    [Fact]
    public async Task Stream_id_minus_one_reads_every_stream_of_a_job_on_one_call()
    {
        var job = await Http.Configure(FocusApi.LiveBody(min: 20, max: 23, view: 0, nfft: 256, fmin: 0, fmax: 200));
        var jobId = (string)job["job_id"]!;
        try
        {
            using var channel = Relay(jobId);
            using var call = FocusApi.Stream(channel, RelayMethods.AllStreams);
            var seen = new HashSet<int>();
            for (var deadline = DateTime.UtcNow.AddSeconds(20); seen.Count < 4 && DateTime.UtcNow < deadline;)
                seen.Add((await call.Next()).StartChannel);
            Assert.Equal([20, 21, 22, 23], seen.Order());
        }
        finally
        {
            await Http.Delete(jobId);
        }
    }

    [Fact]
    public async Task Unknown_jobs_and_streams_are_refused_with_the_contracts_codes()
    {
        using (var channel = Relay("999-0000"))
        {
            var unknown = await Assert.ThrowsAsync<RpcException>(() => FocusApi.Stream(channel, 0).Next());
            Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
            Assert.Contains("Invalid job_id", unknown.Status.Detail);
        }

        var job = await Http.Configure(FocusApi.LiveBody(min: 5, max: 5, view: 1));
        var jobId = (string)job["job_id"]!;
        try
        {
            using var channel = Relay(jobId);
            var badStream = await Assert.ThrowsAsync<RpcException>(() => FocusApi.Stream(channel, 7).Next());
            Assert.Equal(StatusCode.InvalidArgument, badStream.StatusCode);
        }
        finally
        {
            await Http.Delete(jobId);
        }
    }

    [Fact]
    public async Task A_cancelled_job_ends_the_relayed_call_with_cancelled()
    {
        var job = await Http.Configure(FocusApi.LiveBody(min: 40, max: 40, view: 1));
        var jobId = (string)job["job_id"]!;
        using var channel = Relay(jobId);
        using var call = FocusApi.Stream(channel, 0);
        await call.Next();
        await Http.Delete(jobId);
        var ended = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await call.ResponseStream.MoveNext().WaitAsync(FocusApi.Deadline)) { }
        });
        Assert.Equal(StatusCode.Cancelled, ended.StatusCode);

        using var again = FocusApi.Stream(channel, 0); // attaching to an ended job says why
        Assert.Equal(StatusCode.Cancelled, (await Assert.ThrowsAsync<RpcException>(() => again.Next())).StatusCode);
    }

    [Fact]
    public void The_relay_writes_and_reads_stream_ids_as_the_generated_request_does()
    {
        foreach (var id in new[] { 0, 1, 49, 65535, RelayMethods.AllStreams })
        {
            Assert.Equal(new StreamDataRequest { StreamId = id }.ToByteArray(), RelayMethods.WriteStreamId(id));
            Assert.Equal(id, RelayMethods.ReadStreamId(new StreamDataRequest { StreamId = id }.ToByteArray()));
        }
        var method = DataStreamService.Descriptor.Methods.Single();
        Assert.Equal(RelayMethods.ServiceName, method.Service.FullName);
        Assert.Equal(RelayMethods.MethodName, method.Name);
    }

    [Fact]
    public async Task The_viewer_is_served_from_the_gateway_with_nothing_from_elsewhere()
    {
        using var redirect = await new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = service.BaseAddress }.GetAsync("viewer");
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal("/viewer/", redirect.Headers.Location!.OriginalString);

        using var page = await Http.GetAsync("viewer/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);

        using var script = await Http.GetAsync("viewer/viewer.js");
        Assert.Equal("text/javascript", script.Content.Headers.ContentType!.MediaType);
        var etag = script.Headers.ETag!;
        using var conditional = new HttpRequestMessage(HttpMethod.Get, "viewer/viewer.js");
        conditional.Headers.IfNoneMatch.Add(etag);
        using var notModified = await Http.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        using var missing = await Http.GetAsync("viewer/nothing.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        using var root = await Http.GetAsync("");
        Assert.Contains("href=\"/viewer/\"", await root.Content.ReadAsStringAsync());
    }

    /// <summary>Puts the relay's route in front of the gRPC method path, as the page's baseUrl does.</summary>
    private sealed class PrefixHandler(string prefix, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!;
            request.RequestUri = new Uri(uri, uri.AbsolutePath.Replace("/pandadatastream.", $"/{prefix}/pandadatastream.", StringComparison.Ordinal));
            return base.SendAsync(request, cancellationToken);
        }
    }
}
