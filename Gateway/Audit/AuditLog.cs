using System.Diagnostics.Metrics;
using Focus.Gateway.Apis;
using Focus.Gateway.Correlation;
using Focus.Gateway.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Focus.Gateway.Audit;

/// <summary>
/// Who configured, attached to and cancelled which job, and who was turned away, from where, under which
/// correlation id: structured events on their own category <c>Focus.Audit</c> (so a site can route them to its
/// own sink and level), counted in <c>focus_audit_events_total{action}</c>. Never a credential.
/// </summary>
public sealed partial class AuditLog
{
    public const string Category = "Focus.Audit";

    private readonly ILogger _logger;
    private readonly Counter<long> _events;

    public AuditLog(ILoggerFactory loggers, IMeterFactory meters)
    {
        _logger = loggers.CreateLogger(Category);
        _events = meters.Create(GatewayInstruments.MeterName).CreateCounter<long>(
            "focus_audit_events_total", description: "Audited actions: configure, attach, cancel, denied.");
    }

    public void Configured(HttpContext http, string jobId)
    {
        Count("configure");
        LogConfigured(jobId, Identity(http), Remote(http), CorrelationId.Of(http));
    }

    public void Attached(HttpContext http, string jobId, int streamId)
    {
        Count("attach");
        LogAttached(jobId, streamId, Identity(http), Remote(http), CorrelationId.Of(http));
    }

    public void Cancelled(HttpContext http, string jobId)
    {
        Count("cancel");
        LogCancelled(jobId, Identity(http), Remote(http), CorrelationId.Of(http));
    }

    public void Denied(HttpContext http, int status)
    {
        Count("denied");
        LogDenied(status, http.Request.Method, http.Request.Path.Value ?? "", Identity(http), Remote(http), CorrelationId.Of(http));
    }

    private void Count(string action) => _events.Add(1, new KeyValuePair<string, object?>("action", action));

    private static string Identity(HttpContext http) => JobCallers.Of(http).Owner ?? "anonymous";

    private static string Remote(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    [LoggerMessage(EventId = 1, EventName = "Configured", Level = LogLevel.Information,
        Message = "{Identity} from {Remote} configured job {JobId} (correlation {CorrelationId})")]
    private partial void LogConfigured(string jobId, string identity, string remote, string correlationId);

    [LoggerMessage(EventId = 2, EventName = "Attached", Level = LogLevel.Information,
        Message = "{Identity} from {Remote} attached to job {JobId} stream {StreamId} (correlation {CorrelationId})")]
    private partial void LogAttached(string jobId, int streamId, string identity, string remote, string correlationId);

    [LoggerMessage(EventId = 3, EventName = "Cancelled", Level = LogLevel.Information,
        Message = "{Identity} from {Remote} cancelled job {JobId} (correlation {CorrelationId})")]
    private partial void LogCancelled(string jobId, string identity, string remote, string correlationId);

    [LoggerMessage(EventId = 4, EventName = "Denied", Level = LogLevel.Warning,
        Message = "{Identity} from {Remote} was denied {Status} on {Method} {Path} (correlation {CorrelationId})")]
    private partial void LogDenied(int status, string method, string path, string identity, string remote, string correlationId);
}
