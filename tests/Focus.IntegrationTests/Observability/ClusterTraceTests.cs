using System.Net.Http.Headers;
using System.Security.Cryptography;
using Focus.IntegrationTests.Cluster;
using Focus.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Focus.IntegrationTests.Observability;

/// <summary>
/// Issue 17's "done when": one /configure in a 3-silo cluster is one trace, from the client's <c>traceparent</c> through
/// the gateway process, Orleans' grain calls, the registry, the job, its analyzer's start phases on the silo it was
/// placed on, the first line and the job's end, exported over OTLP by each process.
/// </summary>
[Collection(TracedClusterCollection.Name)]
public sealed class ClusterTraceTests(TracedCluster traced, ITestOutputHelper output)
{
    private static readonly TimeSpan ExportDeadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task One_configure_is_one_trace_across_the_gateway_and_the_silos()
    {
        var cluster = traced.Cluster;
        var traceId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var clientSpan = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

        using var request = new HttpRequestMessage(HttpMethod.Post, "configure")
        {
            Content = new StringContent(FocusApi.LiveBody(min: 100, max: 104, nfft: 256).ToJsonString(), new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-{clientSpan}-01");
        using var response = await cluster.Gateways[1].SendAsync(request);
        var job = await response.Json();
        Assert.True(response.IsSuccessStatusCode, job.ToJsonString());
        var jobId = (string)job["job_id"]!;
        // The client's trace is honoured, and answered.
        Assert.Equal(traceId, Assert.Single(response.Headers.GetValues("X-Trace-Id")));

        // The first line, then the end.
        using (var channel = FocusApi.Channel(job))
        using (var call = FocusApi.Stream(channel, 0))
            Assert.NotEmpty(await call.ReadLines(3));
        var silo = (string)(await cluster.Gateways[0].Metadata(jobId))["resources"]!["silo"]!;
        await cluster.Gateways[0].Delete(jobId);

        var expected = new[]
        {
            "focus.registry.create", "focus.job.start", "focus.job.worker", "focus.analyzer.start", "focus.analyzer.kernel",
            "focus.analyzer.input", "focus.analyzer.server", "focus.analyzer.pipeline", "focus.job.expose", "focus.job.record",
            "focus.job.first_line", "focus.job.end",
        };
        await FocusCluster.WaitUntilAsync(() => Task.FromResult(expected.All(name => traced.Receiver.Trace(traceId).Any(s => s.Name == name))),
            ExportDeadline, () => "spans missing from the trace: " + string.Join(", ", expected.Where(n => traced.Receiver.Trace(traceId).All(s => s.Name != n)))
                + "\nreceived: " + Describe(traced.Receiver.Trace(traceId)) + "\n" + cluster.Tails());
        await Task.Delay(1000); // whatever else the processes export for it
        var spans = traced.Receiver.Trace(traceId);
        output.WriteLine($"trace {traceId}: {spans.Count} spans\n{Describe(spans)}");

        // One tree: rooted at the client's span, every other parent is a span of the trace.
        var ids = spans.Select(s => s.SpanId).ToHashSet();
        Assert.All(spans, s => Assert.True(s.ParentSpanId == clientSpan || ids.Contains(s.ParentSpanId),
            $"{s.Service}/{s.Name} has parent {s.ParentSpanId}, not in the trace"));
        var root = Assert.Single(spans, s => s.ParentSpanId == clientSpan);
        Assert.Equal("focus-gateway", root.Service);
        Assert.Equal(jobId, root.Attributes.GetValueOrDefault("focus.job_id"));

        // Across processes: the gateway's request and Orleans client call, the silos' grain calls and the service's spans.
        Assert.Contains(spans, s => s.Service == "focus-gateway" && s.Scope.StartsWith("Microsoft.Orleans", StringComparison.Ordinal));
        Assert.Contains(spans, s => s.Service == "focus-silo" && s.Scope == "Microsoft.Orleans.Application");
        Assert.All(spans.Where(s => s.Name.StartsWith("focus.", StringComparison.Ordinal)), s => Assert.Equal("focus-silo", s.Service));
        // The analyzer started on the silo the job was placed on, and its phases are its children.
        var analyzer = Assert.Single(spans, s => s.Name == "focus.analyzer.start");
        Assert.Equal(silo, analyzer.ServiceInstance);
        Assert.Equal(jobId, analyzer.Attributes["focus.job_id"]);
        foreach (var phase in new[] { "kernel", "input", "server", "pipeline" })
            Assert.Equal(analyzer.SpanId, Assert.Single(spans, s => s.Name == $"focus.analyzer.{phase}").ParentSpanId);
        var start = Assert.Single(spans, s => s.Name == "focus.job.start");
        Assert.Equal(start.SpanId, Assert.Single(spans, s => s.Name == "focus.job.end").ParentSpanId);
        Assert.Equal("cancelled", Assert.Single(spans, s => s.Name == "focus.job.end").Attributes["focus.phase"]);
        Assert.Equal(analyzer.SpanId, Assert.Single(spans, s => s.Name == "focus.job.first_line").ParentSpanId);
        // Nothing the job does on timers (progress reports) lands in its start's trace.
        Assert.DoesNotContain(spans, s => s.Name.Contains("ReportProgress", StringComparison.Ordinal));
        // The job's logs on its silo carry the trace id.
        Assert.True(cluster.SiloNamed(silo).Process!.Wrote(traceId), $"{silo} logged no line with trace id {traceId}\n{cluster.Tails()}");
    }

    private static string Describe(IEnumerable<ReceivedSpan> spans) => string.Join('\n', spans.OrderBy(s => s.Start)
        .Select(s => $"  {s.Start:HH:mm:ss.fff} {(s.End - s.Start).TotalMilliseconds,8:F1} ms  {s.Service}/{s.ServiceInstance}  [{s.Scope}] {s.Name}  {s.SpanId} <- {s.ParentSpanId}"));
}
