using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Focus.Gateway.Apis;
using Focus.Gateway.Contracts;
using Focus.Gateway.Correlation;
using Focus.Gateway.Health;
using Focus.Gateway.Metrics;
using Focus.Gateway.Security;
using Focus.Grains.Security;
using Focus.Gateway.Viewer;
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
        services.AddOptions<GatewayOptions>().Bind(builder.Configuration.GetSection(GatewayOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<GatewayInstruments>();

        // Requests are parsed by the shared rules; model types only describe (OpenAPI) and answer, so numbers are numbers.
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict);

        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            // Production clients read `error`; every problem carries it, whoever wrote the problem.
            context.ProblemDetails.Extensions.TryAdd("error", context.ProblemDetails.Detail ?? context.ProblemDetails.Title);
            context.ProblemDetails.Extensions.TryAdd("correlation_id", CorrelationId.Of(context.HttpContext));
        });

        builder.AddFocusSecurity();
        var authOn = (builder.Configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions()).IsOn;
        services.AddCors(o => o.AddDefaultPolicy(policy =>
        {
            // With auth on, no foreign origin unless configured: the viewer is same-origin and needs none.
            var origins = builder.Configuration.GetSection($"{GatewayOptions.Section}:CorsOrigins").Get<string[]>() ?? (authOn ? [] : ["*"]);
            if (origins.Contains("*")) policy.AllowAnyOrigin();
            else if (origins.Length == 0) policy.SetIsOriginAllowed(_ => false);
            else policy.WithOrigins(origins);
            policy.AllowAnyHeader().AllowAnyMethod().WithExposedHeaders(CorrelationId.Header, "Retry-After");
        }));

        services.AddOpenApi("v1", o =>
        {
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
                if (context.JsonPropertyInfo?.Name == "view_type")
                    schema.Enum = [JsonValue.Create(0), JsonValue.Create(1), JsonValue.Create(2)];
                return Task.CompletedTask;
            });
        });

        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(GatewayInstruments.MeterName)
            .AddMeter("System.Runtime") // GC heap, thread pool queue, CPU: what an operator checks first
            .AddPrometheusExporter());

        services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster", tags: [OperationsApi.ReadyTag]);
        builder.AddFocusViewer();
        return builder;
    }

    public static WebApplication MapFocusGateway(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        if (options.PathBase.Length > 0) app.UsePathBase(options.PathBase);
        app.UseMiddleware<CorrelationIdMiddleware>();
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
