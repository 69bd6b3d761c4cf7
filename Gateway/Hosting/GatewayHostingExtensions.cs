using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Focus.Gateway.Apis;
using Focus.Gateway.Contracts;
using Focus.Gateway.Correlation;
using Focus.Gateway.Health;
using Focus.Gateway.Metrics;
using Focus.Gateway.Security;
using Focus.Gateway.Telemetry;
using Focus.Gateway.Viewer;
using Focus.Grains.Hosting;
using Focus.Grains.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace Focus.Gateway.Hosting;

/// <summary>The REST gateway's wiring: the same in the silo (single node) and in its own process.</summary>
public static class GatewayHostingExtensions
{
    public static IHostApplicationBuilder AddFocusGateway(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<RestGatewayOptions, RestGatewayOptionsValidator>(builder.Configuration.GetSection(RestGatewayOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<GatewayInstruments>().AddMetricsAtStart<GatewayInstruments>();
        services.AddSingleton<HistogramsAtZero>();

        // Requests are parsed by the shared rules; model types only describe (OpenAPI) and answer, so numbers are numbers.
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict);

        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            // Production clients read `error`, and `detail` is its text: every problem carries both, whoever
            // wrote the problem (routing's 404 and 405 come with neither).
            context.ProblemDetails.Detail ??= DefaultDetail(context.HttpContext, context.ProblemDetails);
            context.ProblemDetails.Extensions.TryAdd("error", context.ProblemDetails.Detail);
            context.ProblemDetails.Extensions.TryAdd("correlation_id", CorrelationId.Of(context.HttpContext));
        });

        builder.AddFocusSecurity();
        var authOn = ConfigEnum.GetOrDefaults<AuthOptions>(builder.Configuration.GetSection(AuthOptions.Section)).IsOn;
        services.AddCors(o => o.AddDefaultPolicy(policy =>
        {
            // With auth on, no foreign origin unless configured: the viewer is same-origin and needs none.
            var origins = builder.Configuration.GetSection($"{RestGatewayOptions.Section}:CorsOrigins").Get<string[]>() ?? (authOn ? [] : ["*"]);
            if (origins.Contains("*")) policy.AllowAnyOrigin();
            else if (origins.Length == 0) policy.SetIsOriginAllowed(_ => false);
            else policy.WithOrigins(origins);
            policy.AllowAnyHeader().AllowAnyMethod().WithExposedHeaders(CorrelationId.Header, "Retry-After", FocusTracingHostingExtensions.TraceIdHeader);
        }));

        services.AddOpenApi("v1", o =>
        {
            // The REST contract only: the Orleans dashboard's own API (an operator's tool, on the management port when
            // one is set) is not part of it.
            o.ShouldInclude = description => description.RelativePath?.StartsWith("dashboard", StringComparison.Ordinal) != true;
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Focus.Orleans REST gateway";
                document.Info.Description = "Investigations of a DAS fiber: configure, stream over gRPC, inspect, cancel.";
                return Task.CompletedTask;
            });
            o.CreateSchemaReferenceId = type => type.Type == typeof(ConfigureRequestDocument)
                ? "ConfigureRequest"
                : OpenApiOptions.CreateDefaultSchemaReferenceId(type);
            o.AddSchemaTransformer((schema, context, _) =>
            {
                if (context.JsonPropertyInfo?.Name == Focus.Grains.Jobs.ConfigureRules.ViewTypeField)
                    schema.Enum = [JsonValue.Create(0), JsonValue.Create(1), JsonValue.Create(2)];
                return Task.CompletedTask;
            });
        });

        builder.AddFocusTracing();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(GatewayInstruments.MeterName)
            .AddMeter("System.Runtime") // GC heap, thread pool queue, CPU: what an operator checks first
            .AddFocusFrameworkMeters() // REST requests, Kestrel connections, HttpClient calls, Orleans (docs/DECISIONS.md)
            .AddPrometheusExporter());
        services.AddFocusHealthMetrics();
        // Meters are matched by name across the process: only this host's meters are its metrics (tests host
        // several services in one process, each with its own IMeterFactory).
        services.ConfigureOpenTelemetryMeterProvider((provider, metrics) =>
        {
            var own = provider.GetRequiredService<IMeterFactory>();
            metrics.AddView(instrument => instrument.Meter.Scope is IMeterFactory scope && !ReferenceEquals(scope, own)
                ? MetricStreamConfiguration.Drop
                : FrameworkMeters.View(instrument));
        });

        services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster", tags: [OperationsApi.ReadyTag]);
        builder.AddFocusViewer();
        return builder;
    }

    /// <summary>The words of a problem written without any: what was called and, for a 405, what the route answers.</summary>
    private static string DefaultDetail(HttpContext http, Microsoft.AspNetCore.Mvc.ProblemDetails problem)
    {
        var call = $"{http.Request.Method} {http.Request.PathBase}{http.Request.Path}";
        return problem.Status switch
        {
            StatusCodes.Status405MethodNotAllowed when http.Response.Headers.Allow.Count > 0 =>
                $"{call}: method not allowed, this route answers {http.Response.Headers.Allow}",
            StatusCodes.Status405MethodNotAllowed => $"{call}: method not allowed",
            StatusCodes.Status404NotFound => $"{call}: no such route",
            _ => $"{call}: {problem.Title}",
        };
    }

    public static WebApplication MapFocusGateway(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<RestGatewayOptions>>().Value;
        if (options.PathBase.Length > 0) app.UsePathBase(options.PathBase);
        app.UseMiddleware<CorrelationIdMiddleware>();
        app.UseTraceIdHeader();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRouting();
        app.UseCors();
        app.UseFocusSecurity();

        var api = app.MapGroup("").AddEndpointFilter<ClusterUnavailableFilter>();
        api.MapJobsApi();
        api.MapWaterfallApi();
        api.MapFiberApi();
        api.MapRecordingsApi();
        app.MapOperationsApi();
        app.MapOpenApi("/openapi.json");
        app.MapFocusViewer();
        return app;
    }
}
