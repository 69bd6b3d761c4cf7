using System.Text.RegularExpressions;
using Focus.IntegrationTests.Infrastructure;

namespace Focus.IntegrationTests.Observability;

/// <summary>
/// The single-node service with work done (a live job read and running, another cancelled), and its /metrics scrape
/// taken then: the real series the dashboard, the alert rules and their tests are checked against.
/// </summary>
public sealed partial class ScrapedService : FocusService
{
    public string Scrape { get; private set; } = "";

    public string RunningJobId { get; private set; } = "";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var running = await Http.Configure(FocusApi.LiveBody(min: 10, max: 14));
        RunningJobId = (string)running["job_id"]!;
        var cancelled = await Http.Configure(FocusApi.LiveBody(min: 20, max: 21));
        using (var channel = FocusApi.Channel(running))
        using (var call = FocusApi.Stream(channel, 0))
            await call.ReadLines(5);
        await Http.Delete((string)cancelled["job_id"]!);
        using (await Http.GetAsync("jobs")) { } // a REST route besides /configure in the HTTP server metrics
        await Task.Delay(1500); // a health-check round (focus_ready) and the first-line histograms
        Scrape = await Http.GetStringAsync("metrics");
    }

    /// <summary>Every sample of the scrape: series name, label text (<c>{…}</c> or empty) and value.</summary>
    public IReadOnlyList<(string Name, string Labels, string Value)> Samples() =>
        [.. Scrape.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => SampleLine().Match(l)).Where(m => m.Success)
            .Select(m => (m.Groups["name"].Value, m.Groups["labels"].Value, m.Groups["value"].Value))];

    /// <summary>The series names of the scrape (<c>x_bucket</c>, <c>x_sum</c>, <c>x_count</c> for a histogram).</summary>
    public IReadOnlySet<string> SeriesNames() => Samples().Select(s => s.Name).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<labels>\{.*\})?\s+(?<value>\S+)(\s+\d+)?$")]
    private static partial Regex SampleLine();
}
