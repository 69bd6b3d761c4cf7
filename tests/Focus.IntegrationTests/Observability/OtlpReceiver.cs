using System.Collections.Concurrent;
using Focus.IntegrationTests.Observability.Otlp;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Focus.IntegrationTests.Observability;

/// <summary>One span as an OTLP exporter sent it: ids in lower-case hex, the exporting service, attributes as text.</summary>
public sealed record ReceivedSpan(
    string TraceId, string SpanId, string ParentSpanId, string Name, string Scope, string Service, string? ServiceInstance,
    IReadOnlyDictionary<string, string> Attributes, IReadOnlyList<string> LinkedTraceIds, int StatusCode, DateTime Start, DateTime End);

/// <summary>
/// An OTLP/gRPC trace receiver on loopback (plaintext HTTP/2, the exporter's default protocol): what an OpenTelemetry
/// collector would receive, kept in memory for the tests. Point a process at it with
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT=</c><see cref="Endpoint"/>.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OtlpReceiver(WebApplication app, ConcurrentQueue<ReceivedSpan> spans)
    {
        _app = app;
        Spans = spans;
    }

    public ConcurrentQueue<ReceivedSpan> Spans { get; }

    public string Endpoint => _app.Urls.First();

    public static async Task<OtlpReceiver> StartAsync()
    {
        var spans = new ConcurrentQueue<ReceivedSpan>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(o => o.MaxReceiveMessageSize = 64 * 1024 * 1024);
        builder.Services.AddSingleton(spans);
        var app = builder.Build();
        app.MapGrpcService<TraceReceiver>();
        await app.StartAsync();
        return new OtlpReceiver(app, spans);
    }

    /// <summary>The spans of one trace received so far.</summary>
    public IReadOnlyList<ReceivedSpan> Trace(string traceId) => [.. Spans.Where(s => s.TraceId == traceId)];

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class TraceReceiver(ConcurrentQueue<ReceivedSpan> spans) : TraceService.TraceServiceBase
    {
        public override Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
        {
            foreach (var resource in request.ResourceSpans)
            {
                var resourceAttributes = Attributes(resource.Resource?.Attributes);
                var service = resourceAttributes.GetValueOrDefault("service.name") ?? "";
                var instance = resourceAttributes.GetValueOrDefault("service.instance.id");
                foreach (var scope in resource.ScopeSpans)
                foreach (var span in scope.Spans)
                    spans.Enqueue(new ReceivedSpan(
                        Convert.ToHexStringLower(span.TraceId.Span), Convert.ToHexStringLower(span.SpanId.Span),
                        Convert.ToHexStringLower(span.ParentSpanId.Span), span.Name, scope.Scope?.Name ?? "", service, instance,
                        Attributes(span.Attributes), [.. span.Links.Select(l => Convert.ToHexStringLower(l.TraceId.Span))],
                        span.Status?.Code ?? 0, FromNanos(span.StartTimeUnixNano), FromNanos(span.EndTimeUnixNano)));
            }
            return Task.FromResult(new ExportTraceServiceResponse());
        }

        private static DateTime FromNanos(ulong nanos) => DateTime.UnixEpoch.AddTicks((long)(nanos / 100));

        private static Dictionary<string, string> Attributes(IEnumerable<KeyValue>? attributes) =>
            attributes?.GroupBy(a => a.Key).ToDictionary(g => g.Key, g => Text(g.Last().Value)) ?? [];

        private static string Text(AnyValue? value) => value?.ValueCase switch
        {
            AnyValue.ValueOneofCase.StringValue => value.StringValue,
            AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
            AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
            AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => "",
        };
    }
}
