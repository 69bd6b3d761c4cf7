using System.Globalization;
using Focus.IntegrationTests.Infrastructure;

namespace Focus.IntegrationTests.Gateway;

/// <summary>
/// A scrape of a service that has done nothing yet declares every metric an operator's dashboards and alerts
/// refer to, at 0 (README Operations, CONTRACT §1 Operations and §5).
/// </summary>
/// <remarks>
/// Other services in this process record meanwhile (tests run in parallel): a service's scrape shows its own
/// meters only, so their jobs do not show here.
/// </remarks>
public sealed class MetricsFromStartTests(MetricsFromStartTests.FreshService service) : IClassFixture<MetricsFromStartTests.FreshService>
{
    /// <summary>
    /// The one list of the metrics declared from the start (Prometheus family name and type): the README's
    /// Operations list, the contract's, and what the contract names elsewhere. A new metric of that kind goes here.
    /// </summary>
    public static readonly TheoryData<string, string> Declared = new()
    {
        { "focus_jobs_created_total", "counter" },
        { "focus_jobs_running", "gauge" },
        { "focus_jobs_failed_total", "counter" },
        { "focus_queue_depth", "gauge" },
        { "focus_config_apply_seconds", "histogram" },
        { "focus_time_to_first_frame_seconds", "histogram" },
        { "focus_lines_emitted_total", "counter" },
        { "focus_gaps_total", "counter" },
        { "focus_job_start_seconds", "histogram" },
        { "focus_queue_dropped_total", "counter" },
        { "focus_jobs_ended_total", "counter" },
    };

    [Theory]
    [MemberData(nameof(Declared))]
    public async Task A_fresh_service_declares_the_metric_at_zero(string name, string type)
    {
        var text = await service.FirstScrape.Value;
        var lines = text.Split('\n');
        Assert.True(lines.Contains($"# TYPE {name} {type}"), $"no '# TYPE {name} {type}' in the first scrape:\n{text}");

        // Its samples: the value itself (counter, gauge) or a histogram's buckets, sum and count, all 0.
        var series = type == "histogram" ? new[] { $"{name}_bucket", $"{name}_sum", $"{name}_count" } : [name];
        var samples = lines.Where(l => series.Any(s => l.StartsWith(s + "{", StringComparison.Ordinal) || l.StartsWith(s + " ", StringComparison.Ordinal))).ToList();
        foreach (var s in series)
            Assert.True(samples.Any(l => l.StartsWith(s, StringComparison.Ordinal)), $"no {s} sample in the first scrape:\n{text}");
        foreach (var sample in samples)
        {
            var value = sample[(sample.LastIndexOf(' ') + 1)..];
            Assert.True(double.Parse(value, CultureInfo.InvariantCulture) == 0, $"'{sample}' is not 0 before anything happened");
        }
    }

    /// <summary>The default single-node service, scraped once before anything else is asked of it.</summary>
    public sealed class FreshService : FocusService
    {
        public Lazy<Task<string>> FirstScrape { get; }

        public FreshService() => FirstScrape = new(() => Http.GetStringAsync("metrics"));
    }
}
