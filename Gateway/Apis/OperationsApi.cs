using Focus.Gateway.Health;
using Focus.Gateway.Management;
using Focus.Gateway.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Focus.Gateway.Apis;

/// <summary>Liveness, readiness and metrics for operators and probes.</summary>
public static class OperationsApi
{
    public const string ReadyTag = "ready";

    private static readonly HttpMethodMetadata ReadOnly = new([HttpMethods.Get, HttpMethods.Head]);

    public static IEndpointRouteBuilder MapOperationsApi(this IEndpointRouteBuilder app)
    {
        var ops = app.MapGroup("").WithTags("Operations");
        // The production liveness probe.
        ops.MapGet("/ack", () => TypedResults.Ok(new Dictionary<string, object>())).WithName("Ack").AsProbe();
        // Probes and scrapers GET (or HEAD); like every route, another method is a 405.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).WithMetadata(ReadOnly).AsProbe();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = HealthReportJson.WriteAsync,
        }).WithMetadata(ReadOnly).AsProbe();
        var histograms = app.ServiceProvider.GetRequiredService<HistogramsAtZero>();
        app.MapPrometheusScrapingEndpoint("/metrics", meterProvider: null, configureBranchedPipeline: scrape => scrape.Use(histograms.InvokeAsync), optionsName: null)
            .WithMetadata(ReadOnly).AsManagement();
        return app;
    }
}
