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
        For(baseAddress, jobId, h => { if (token is not null) h.Authorization = new AuthenticationHeaderValue("Bearer", token); });

    /// <summary>The relay of <paramref name="jobId"/> with <c>X-Api-Key</c> (none when <paramref name="key"/> is null).</summary>
    public static GrpcChannel ApiKey(Uri baseAddress, string jobId, string? key) =>
        For(baseAddress, jobId, h => { if (key is not null) h.Add("X-Api-Key", key); });

    private static GrpcChannel For(Uri baseAddress, string jobId, Action<HttpRequestHeaders> credentials) =>
        GrpcChannel.ForAddress(baseAddress, new GrpcChannelOptions
        {
            HttpHandler = new GrpcWebHandler(GrpcWebMode.GrpcWeb, new RelayHandler($"viewer-stream/{jobId}", credentials, new HttpClientHandler())),
            HttpVersion = HttpVersion.Version11,
            HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        });

    /// <summary>Puts the relay's route before the method's path, and the credentials in each request (gRPC has no default headers).</summary>
    private sealed class RelayHandler(string prefix, Action<HttpRequestHeaders> credentials, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!;
            request.RequestUri = new UriBuilder(uri) { Path = $"/{prefix}{uri.AbsolutePath}" }.Uri;
            credentials(request.Headers);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
