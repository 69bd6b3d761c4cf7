using System.Diagnostics.Metrics;

namespace Focus.Gateway.Metrics;

/// <summary>What the REST gateway measures itself: how long /configure takes to answer.</summary>
public sealed class GatewayInstruments
{
    public const string MeterName = "Focus";

    private static readonly double[] SecondsBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly Histogram<double> _configureSeconds;

    public GatewayInstruments(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _configureSeconds = meter.CreateHistogram(
            "focus_config_apply_seconds",
            unit: null,
            description: "Seconds from a /configure request to its answer, by outcome.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
    }

    public void ConfigureAnswered(TimeSpan elapsed, int status) =>
        _configureSeconds.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("status", status));
}
