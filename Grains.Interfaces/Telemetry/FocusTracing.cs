using System.Diagnostics;
using Orleans.Runtime;

namespace Focus.Telemetry;

/// <summary>
/// The service's own spans (activity source <c>Focus</c>): a /configure's admission and placement, the job's start and
/// each of its steps, the analyzer's start phases, the first line and every end of a job. Spans are made only while
/// a tracer provider listens (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set); otherwise <see cref="Start"/> returns null and
/// costs a check. The caller's W3C trace context crosses grain calls in Orleans' <see cref="RequestContext"/> under
/// <c>traceparent</c> (Orleans' own propagation writes the same key when it traces), so a grain knows the trace of
/// the request that called it even with tracing off: its logs carry that trace id.
/// </summary>
public static class FocusTracing
{
    public const string SourceName = "Focus";

    /// <summary>The W3C header name, and the <see cref="RequestContext"/> key Orleans' activity propagation uses.</summary>
    public const string TraceParent = "traceparent";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>The caller's trace: the current activity, else the <c>traceparent</c> a grain call carried; default if none.</summary>
    public static ActivityContext Caller()
    {
        if (Activity.Current is { IdFormat: ActivityIdFormat.W3C } current) return current.Context;
        return Parse(RequestContext.Get(TraceParent) as string);
    }

    /// <summary>A W3C <c>traceparent</c> parsed, or default.</summary>
    public static ActivityContext Parse(string? traceParent) =>
        traceParent is { Length: > 0 } && ActivityContext.TryParse(traceParent, null, isRemote: true, out var context) ? context : default;

    /// <summary>The W3C <c>traceparent</c> of <paramref name="context"/>, or null when it has no trace.</summary>
    public static string? Format(ActivityContext context) =>
        context.TraceId == default ? null : $"00-{context.TraceId.ToHexString()}-{context.SpanId.ToHexString()}-{(context.TraceFlags.HasFlag(ActivityTraceFlags.Recorded) ? "01" : "00")}";

    /// <summary>
    /// Puts the current request's trace context where grain calls carry it (<see cref="RequestContext"/>), for grains
    /// to log its trace id when nothing traces; Orleans' propagation, when tracing, replaces it with its own span's.
    /// </summary>
    public static void PassToGrains()
    {
        if (Activity.Current is { IdFormat: ActivityIdFormat.W3C, Id: { } id }) RequestContext.Set(TraceParent, id);
    }

    /// <summary>Starts a span of the service: a child of <paramref name="parent"/> when given, else of the current activity.</summary>
    public static Activity? Start(string name, ActivityContext parent = default, ActivityKind kind = ActivityKind.Internal)
    {
        if (!Source.HasListeners()) return null;
        return parent == default ? Source.StartActivity(name, kind) : Source.StartActivity(name, kind, parent);
    }

    /// <summary>
    /// A span for something that already happened: from <paramref name="elapsed"/> ago until now, a child of
    /// <paramref name="parent"/> (else of the current activity). Used for phases timed by the metrics.
    /// </summary>
    public static Activity? Completed(string name, TimeSpan elapsed, ActivityContext parent = default, params (string Key, object? Value)[] tags)
    {
        if (!Source.HasListeners()) return null;
        var now = DateTimeOffset.UtcNow;
        var activity = Source.StartActivity(name, ActivityKind.Internal, parent == default ? Activity.Current?.Context ?? default : parent,
            startTime: now - elapsed);
        if (activity is null) return null;
        foreach (var (key, value) in tags) activity.SetTag(key, value);
        activity.SetEndTime(now.UtcDateTime);
        activity.Stop();
        return activity;
    }

    /// <summary>Marks <paramref name="activity"/> failed with <paramref name="description"/>.</summary>
    public static void Failed(this Activity? activity, string? description)
    {
        activity?.SetStatus(ActivityStatusCode.Error, description);
    }

    /// <summary>The trace id to log: the span's, else the caller's; null when there is no trace.</summary>
    public static string? TraceIdOf(Activity? span, ActivityContext caller) =>
        span is not null ? span.TraceId.ToHexString() : caller.TraceId == default ? null : caller.TraceId.ToHexString();
}
