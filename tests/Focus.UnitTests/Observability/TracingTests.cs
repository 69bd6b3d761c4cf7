using System.Diagnostics;
using Focus.Gateway.Telemetry;
using Focus.Telemetry;
using OpenTelemetry.Trace;

namespace Focus.UnitTests.Observability;

public sealed class TracingTests
{
    private static readonly ActivityTraceId Trace = ActivityTraceId.CreateRandom();

    [Theory]
    [InlineData("Microsoft.AspNetCore.Hosting.HttpRequestIn", true)] // a REST request starts a trace
    [InlineData("focus.job.end", true)]                              // the service's own root spans (a job's end on a timer)
    [InlineData("IDashboardGrain/GetCounters", false)]                // Orleans' background calls never do
    [InlineData("System.Net.Http.HttpRequestOut", false)]            // nor an HttpClient call on no request
    public void Roots_are_sampled_at_the_edges_an_operator_investigates(string name, bool sampled)
    {
        var decision = new FocusSampler().ShouldSample(new SamplingParameters(default, Trace, name, ActivityKind.Internal));
        Assert.Equal(sampled ? SamplingDecision.RecordAndSample : SamplingDecision.Drop, decision.Decision);
    }

    [Theory]
    [InlineData(ActivityTraceFlags.Recorded, SamplingDecision.RecordAndSample)]
    [InlineData(ActivityTraceFlags.None, SamplingDecision.Drop)]
    public void A_span_with_a_parent_follows_the_parents_sampled_flag(ActivityTraceFlags flags, SamplingDecision expected)
    {
        var parent = new ActivityContext(Trace, ActivitySpanId.CreateRandom(), flags, isRemote: true);
        var decision = new FocusSampler().ShouldSample(new SamplingParameters(parent, Trace, "IJobGrain/Start", ActivityKind.Server));
        Assert.Equal(expected, decision.Decision);
    }

    [Fact]
    public void A_traceparent_round_trips_and_garbage_is_no_trace()
    {
        var text = $"00-{Trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01";
        var context = FocusTracing.Parse(text);
        Assert.Equal(Trace, context.TraceId);
        Assert.Equal(text, FocusTracing.Format(context));
        Assert.Equal(default, FocusTracing.Parse("00-not-a-trace"));
        Assert.Null(FocusTracing.Format(default));
    }

    [Fact]
    public void Without_a_listener_the_service_makes_no_span()
    {
        // No tracer provider in this process listens to "Focus" (tracing is off unless an OTLP endpoint is set).
        Assert.False(FocusTracing.Source.HasListeners());
        Assert.Null(FocusTracing.Start("focus.job.start"));
        Assert.Null(FocusTracing.Completed("focus.analyzer.kernel", TimeSpan.FromMilliseconds(3)));
    }
}
