using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Focus.Analyzer.Streaming;

/// <summary>
/// What a job's Kestrel server runs for each request: the shared pipeline of its
/// <see cref="JobStreamServerFactory{TService}"/>, with the job's features put into the request's features so the
/// gRPC service knows which job the call reached.
/// </summary>
internal sealed class JobHttpApplication(RequestDelegate pipeline, IHttpContextFactory contexts, IFeatureCollection job)
    : IHttpApplication<HttpContext>
{
    public HttpContext CreateContext(IFeatureCollection contextFeatures)
    {
        var context = contexts.Create(contextFeatures);
        foreach (var (type, feature) in job) context.Features[type] = feature;
        return context;
    }

    public Task ProcessRequestAsync(HttpContext context) => pipeline(context);

    public void DisposeContext(HttpContext context, Exception? exception) => contexts.Dispose(context);
}
