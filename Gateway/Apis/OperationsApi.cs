using Focus.Gateway.Health;
using Focus.Gateway.Management;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Focus.Gateway.Apis;

/// <summary>Liveness, readiness and metrics for operators and probes.</summary>
public static class OperationsApi
{
    public const string ReadyTag = "ready";

    public static IEndpointRouteBuilder MapOperationsApi(this IEndpointRouteBuilder app)
    {
        var ops = app.MapGroup("").WithTags("Operations");
        // The production liveness probe.
        ops.MapGet("/ack", () => TypedResults.Ok(new Dictionary<string, object>())).WithName("Ack").AsProbe();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AsProbe();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = HealthReportJson.WriteAsync,
        }).AsProbe();
        app.MapPrometheusScrapingEndpoint("/metrics").AsManagement();
        return app;
    }
}
