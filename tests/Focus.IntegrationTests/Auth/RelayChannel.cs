using System.Net;
using System.Net.Http.Headers;
using Grpc.Net.Client;
using Grpc.Net.Client.Web;

namespace Focus.IntegrationTests.Auth;

/// <summary>A gRPC-Web channel to the viewer relay of one job, sending the caller's credentials the way the viewer does.</summary>
public static class RelayChannel
{
    /// <summary>The relay of <paramref name="jobId"/> with <c>Authorization: Bearer</c> (none when <paramref name="token"/> is null).</summary>
    public static GrpcChannel Bearer(Uri baseAddress, string jobId, string? token) =>
        GrpcChannel.ForAddress(baseAddress, new GrpcChannelOptions
        {
            HttpHandler = new GrpcWebHandler(GrpcWebMode.GrpcWeb, new RelayHandler($"viewer-stream/{jobId}", token, new HttpClientHandler())),
            HttpVersion = HttpVersion.Version11,
            HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        });

    /// <summary>Puts the relay's route before the method's path, and the token in the request itself (no default headers in gRPC).</summary>
    private sealed class RelayHandler(string prefix, string? token, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!;
            request.RequestUri = new UriBuilder(uri) { Path = $"/{prefix}{uri.AbsolutePath}" }.Uri;
            if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
