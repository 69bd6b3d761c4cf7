using OpenTelemetry.Metrics;

namespace Focus.Gateway.Telemetry;

/// <summary>
/// The framework's own meters in /metrics beside <c>Focus</c> and <c>System.Runtime</c>: ASP.NET Core's requests
/// (<c>http_server_request_duration_seconds</c> by route, method and status), Kestrel's connections, HttpClient's calls
/// (the viewer relay, the Kubernetes API) and Orleans' (<c>Microsoft.Orleans</c>: messaging, catalog, membership,
/// grain calls). Every label stays bounded: routes are templates, and the HttpClient series lose the peer's port (a
/// job's stream port would make one series per job) and full URL. Per-silo comes from the scrape target (the
/// <c>instance</c>/<c>pod</c> label Prometheus adds), per-mode from the Focus job metrics' <c>mode</c> label.
/// </summary>
public static class FrameworkMeters
{
    public static readonly string[] Meters =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "System.Net.Http",
        "Microsoft.Orleans",
    ];

    /// <summary>The HttpClient labels kept: method, status, error and the peer's host name (a handful of services).</summary>
    private static readonly string[] HttpClientTags = ["http.request.method", "http.response.status_code", "error.type", "server.address", "url.scheme"];

    public static MeterProviderBuilder AddFocusFrameworkMeters(this MeterProviderBuilder metrics) => metrics.AddMeter(Meters);

    /// <summary>The view of a framework instrument whose labels must be narrowed, or null to keep it as it is.</summary>
    public static MetricStreamConfiguration? View(System.Diagnostics.Metrics.Instrument instrument) =>
        instrument.Meter.Name == "System.Net.Http" && instrument.Name.StartsWith("http.client.", StringComparison.Ordinal)
            ? new MetricStreamConfiguration { TagKeys = HttpClientTags }
            : null;
}
