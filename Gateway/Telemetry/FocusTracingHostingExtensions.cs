using System.Diagnostics;
using Focus.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Focus.Gateway.Telemetry;

/// <summary>
/// Traces, on when the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c>) is set,
/// as an environment variable or any configuration key: spans of ASP.NET Core (REST), HttpClient and gRPC clients,
/// Orleans' grain calls (<c>Microsoft.Orleans.Runtime</c>, <c>Microsoft.Orleans.Application</c>) and the service's own
/// (<see cref="FocusTracing"/>), exported over OTLP as the other <c>OTEL_EXPORTER_OTLP_*</c> and <c>OTEL_*</c>
/// variables say (protocol, headers, batch delay, service name and resource attributes). Off, no tracer listens and
/// no span is made; a request still has its W3C trace context (a client's <c>traceparent</c> is honoured), which is
/// answered in <c>X-Trace-Id</c> and carried in the logs' scopes.
/// </summary>
public static class FocusTracingHostingExtensions
{
    public const string TraceIdHeader = "X-Trace-Id";

    /// <summary>Orleans' activity sources (grain calls; Orleans names them in <c>Orleans.Diagnostics.ActivitySources</c>).</summary>
    public static readonly string[] OrleansSources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    public static bool IsTracingOn(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])
        || !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]);

    public static IHostApplicationBuilder AddFocusTracing(this IHostApplicationBuilder builder)
    {
        if (!IsTracingOn(builder.Configuration)) return builder;
        var service = builder.Environment.ApplicationName switch
        {
            "Focus.Silo" => "focus-silo",
            "Focus.Gateway" => "focus-gateway",
            var other => other,
        };
        var instance = builder.Configuration["Focus:Cluster:SiloName"] is { Length: > 0 } silo ? silo : Environment.MachineName;
        builder.Services.AddOpenTelemetry()
            // The defaults first, the environment's OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES last: they win.
            .ConfigureResource(resource => resource.Clear()
                .AddService(service, serviceInstanceId: instance)
                .AddTelemetrySdk()
                .AddEnvironmentVariableDetector())
            .WithTracing(tracing => tracing
                .SetSampler(new FocusSampler())
                .AddSource(FocusTracing.SourceName)
                .AddSource(OrleansSources)
                .AddSource("Grpc.Net.Client")
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !IsScrapeOrProbe(http.Request.Path))
                .AddHttpClientInstrumentation()
                .AddOtlpExporter());
        return builder;
    }

    /// <summary>Answers every response's trace id in <see cref="TraceIdHeader"/> (the /configure's is the job's trace).</summary>
    public static IApplicationBuilder UseTraceIdHeader(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity)
        {
            var traceId = activity.TraceId.ToHexString();
            context.Response.OnStarting(() =>
            {
                context.Response.Headers[TraceIdHeader] = traceId;
                return Task.CompletedTask;
            });
        }
        await next(context);
    });

    /// <summary>Scrapes, probes and the dashboard's polling are not traced: every few seconds, and nothing to investigate.</summary>
    private static bool IsScrapeOrProbe(PathString path) =>
        path.StartsWithSegments("/metrics") || path.StartsWithSegments("/health") || path.StartsWithSegments("/ack")
        || path.StartsWithSegments("/dashboard"); // the Orleans dashboard polls every second
}

/// <summary>
/// Traces start at the edges an operator investigates, a REST request or the service's own root spans (a job's end on a
/// timer); a span with a parent follows its parent's decision (W3C <c>sampled</c> flag). Orleans' background calls
/// (the dashboard's polling, timers' reports, membership) and outgoing HTTP calls on no request never start a trace.
/// </summary>
internal sealed class FocusSampler : Sampler
{
    private const string AspNetCoreRequest = "Microsoft.AspNetCore.Hosting.HttpRequestIn";

    public override SamplingResult ShouldSample(in SamplingParameters parameters)
    {
        if (parameters.ParentContext.TraceId != default)
            return new SamplingResult(parameters.ParentContext.TraceFlags.HasFlag(ActivityTraceFlags.Recorded));
        var root = parameters.Name == AspNetCoreRequest || parameters.Name.StartsWith("focus.", StringComparison.Ordinal);
        return new SamplingResult(root);
    }
}
