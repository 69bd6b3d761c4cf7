using Focus.Gateway.Streaming;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Focus.Gateway.Viewer;

/// <summary>
/// The browser viewer: its page and files at <c>/viewer/</c>, a start page at <c>/</c> linking to it,
/// and the gRPC-Web relay of job streams at <c>/viewer-stream/{job_id}/</c>. All under the path base.
/// </summary>
public static class ViewerApi
{
    // Only this origin: the page loads nothing from elsewhere (air-gapped sites) and talks only to its gateway.
    private const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'self'";

    public static IHostApplicationBuilder AddFocusViewer(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<ViewerOptions, ViewerOptionsValidator>(builder.Configuration.GetSection(ViewerOptions.Section));
        builder.Services.AddSingleton<ViewerAssets>();
        builder.Services.AddSingleton<StreamTrust>();
        builder.Services.AddSingleton<RelayCalls>();
        // Only the relay's own routes: gRPC's catch-all for unknown services ({service}/{method}, any HTTP method)
        // would otherwise shadow every two-segment REST route, making a wrong method on /metadata/{id} a 404, not a 405.
        builder.Services.AddGrpc(o => o.IgnoreUnknownServices = true);
        return builder;
    }

    public static WebApplication MapFocusViewer(this WebApplication app)
    {
        app.UseGrpcWeb();
        app.MapGrpcService<ViewerStreamRelay>().EnableGrpcWeb().WithTags("Viewer");

        var viewer = app.MapGroup("").WithTags("Viewer").ExcludeFromDescription();
        // The page and its files are public (no job data in them); what they call needs credentials when auth is on.
        viewer.MapGet("/", StartPage).AllowAnonymous();
        viewer.MapGet("/viewer/{**path}", Asset).AllowAnonymous();
        return app;
    }

    private static IResult Asset(string? path, HttpContext http, ViewerAssets assets)
    {
        // The page loads its files and calls the API by relative URLs, so it must be read from /viewer/.
        if (string.IsNullOrEmpty(path) && http.Request.Path.Value?.EndsWith('/') != true)
            return TypedResults.Redirect($"{http.Request.PathBase}/viewer/");
        path = string.IsNullOrEmpty(path) ? "index.html" : path;
        if (!assets.TryGet(path, out var asset))
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: $"viewer/{path} is not part of the viewer");

        var headers = http.Response.Headers;
        headers.ETag = asset.ETag;
        headers.CacheControl = "no-cache"; // revalidate: a new gateway build serves a new viewer at once
        headers.XContentTypeOptions = "nosniff";
        if (asset.ContentType.StartsWith("text/html", StringComparison.Ordinal))
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
        if (http.Request.Headers.IfNoneMatch.Contains(asset.ETag))
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.Bytes(asset.Content, asset.ContentType);
    }

    private static IResult StartPage(HttpRequest request)
    {
        var b = System.Net.WebUtility.HtmlEncode(request.PathBase.Value ?? "");
        var html = $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Focus.Orleans</title>
            <style>body{font:15px system-ui,sans-serif;margin:2rem;max-width:40rem}a{display:block;margin:.4rem 0}</style></head>
            <body><h1>Focus.Orleans</h1>
            <a href="{{b}}/viewer/">Waterfall viewer</a>
            <a href="{{b}}/jobs">Running jobs (JSON)</a>
            <a href="{{b}}/live_metadata">Live fiber metadata (JSON)</a>
            <a href="{{b}}/get_recordings_timeline">Recordings timeline</a>
            <a href="{{b}}/openapi.json">OpenAPI description</a>
            <a href="{{b}}/metrics">Metrics (Prometheus)</a>
            </body></html>
            """;
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }
}
