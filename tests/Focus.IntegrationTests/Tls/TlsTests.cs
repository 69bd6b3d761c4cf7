using System.Net;
using Focus.IntegrationTests.Infrastructure;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Web;

namespace Focus.IntegrationTests.Tls;

/// <summary>TLS end to end with a test CA: REST on https, <c>stream_tls</c>, jobs' ports and the viewer relay on TLS.</summary>
public sealed class TlsTests(TlsService service) : IClassFixture<TlsService>
{
    [Fact]
    public async Task A_job_configured_over_https_streams_over_tls_and_says_so()
    {
        Assert.Equal("https", service.BaseAddress.Scheme);
        var job = await service.Http.Configure(FocusApi.LiveBody(min: 12, max: 12, view: 1, nfft: 1024));
        var jobId = (string)job["job_id"]!;
        try
        {
            Assert.True((bool)job["stream_tls"]!);
            Assert.True((bool)(await service.Http.Metadata(jobId))["stream_tls"]!);
            var address = $"{(string)job["stream_url"]!}:{(int)job["stream_port"]!}";

            using (var tls = GrpcChannel.ForAddress($"https://{address}", new GrpcChannelOptions { HttpHandler = service.Certificates.TrustingHandler() }))
            using (var call = FocusApi.Stream(tls, 0))
                Assert.Equal(5, (await call.ReadLines(5)).Count);

            // Cleartext is not served, and a client that does not trust the CA is turned away.
            using (var cleartext = GrpcChannel.ForAddress($"http://{address}"))
                await Assert.ThrowsAsync<RpcException>(() => FocusApi.Stream(cleartext, 0).ResponseStream.MoveNext().WaitAsync(FocusApi.Deadline));
            using (var untrusting = GrpcChannel.ForAddress($"https://{address}"))
            {
                var refused = await Assert.ThrowsAsync<RpcException>(() => FocusApi.Stream(untrusting, 0).ResponseStream.MoveNext().WaitAsync(FocusApi.Deadline));
                Assert.Contains("certificate", refused.Status.DebugException?.ToString() ?? "", StringComparison.OrdinalIgnoreCase);
            }
        }
        finally
        {
            await service.Http.Delete(jobId);
        }
    }

    [Fact]
    public async Task The_viewer_relay_reads_a_tls_job_port_trusting_the_configured_ca()
    {
        var jobId = (string)(await service.Http.Configure(FocusApi.LiveBody(min: 12, max: 12, view: 1, nfft: 1024)))["job_id"]!;
        try
        {
            using var relay = GrpcChannel.ForAddress(service.BaseAddress, new GrpcChannelOptions
            {
                HttpHandler = new GrpcWebHandler(GrpcWebMode.GrpcWeb, new PrefixHandler($"viewer-stream/{jobId}", service.Certificates.TrustingHandler())),
                HttpVersion = HttpVersion.Version11,
                HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            });
            using var call = FocusApi.Stream(relay, 0);
            Assert.Equal(5, (await call.ReadLines(5)).Count);
        }
        finally
        {
            await service.Http.Delete(jobId);
        }
    }

    [Fact]
    public async Task Rest_over_tls_tells_browsers_to_stay_on_https_with_hsts()
    {
        // The site's name in Host (and so in SNI): ASP.NET Core leaves HSTS off for loopback names.
        using var http = new HttpClient(service.Certificates.TrustingHandler()) { BaseAddress = service.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "channels");
        request.Headers.Host = $"{TestCertificates.SiteHost}:{service.BaseAddress.Port}";
        var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.TryGetValues("Strict-Transport-Security", out var values), "no Strict-Transport-Security on https");
        var hsts = string.Join(",", values);
        var maxAge = System.Text.RegularExpressions.Regex.Match(hsts, @"max-age=(\d+)");
        Assert.True(maxAge.Success && long.Parse(maxAge.Groups[1].Value) > 0, hsts);
    }

    [Fact]
    public async Task The_servers_private_key_is_never_logged()
    {
        var jobId = (string)(await service.Http.Configure(FocusApi.LiveBody(min: 12, max: 12, view: 1, nfft: 1024)))["job_id"]!;
        await service.Http.Delete(jobId); // a job's port loaded the key too

        var pem = await File.ReadAllTextAsync(service.Certificates.KeyPath);
        var body = string.Concat(pem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal)).Select(l => l.Trim()));
        var chunks = Enumerable.Range(0, body.Length / 24).Select(i => body.Substring(i * 24, 24)).ToList();
        Assert.NotEmpty(service.Logs.Lines);
        foreach (var (category, message) in service.Logs.Lines)
            Assert.False(chunks.Any(message.Contains), $"{category} logged the private key: {message}");
    }

    private sealed class PrefixHandler(string prefix, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!;
            request.RequestUri = new UriBuilder(uri) { Path = $"/{prefix}{uri.AbsolutePath}" }.Uri;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
