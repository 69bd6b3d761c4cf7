using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Focus.IntegrationTests.Kubernetes;
using Xunit.Abstractions;
using YamlDotNet.Serialization;

namespace Focus.IntegrationTests.Observability;

/// <summary>
/// The operator's assets against the running service: every metric the Grafana dashboard (deploy/grafana/focus.json)
/// and the alert rules (deploy/prometheus/focus-rules.yaml) read is in a real scrape; Debian's <c>promtool</c> checks
/// the rules and runs them (<c>promtool test rules</c>) on the scrape's own series, quiet while healthy and firing, with
/// the expected labels, when those series turn bad; the prod overlay's PrometheusRule holds the same rules.
/// </summary>
public sealed class AlertsAndDashboardTests(ScrapedService service, ITestOutputHelper output) : IClassFixture<ScrapedService>
{
    private static readonly string Repo = Directory.GetParent(Manifests.Root)!.FullName;
    private static readonly string RulesFile = Path.Combine(Repo, "deploy", "prometheus", "focus-rules.yaml");
    private static readonly string Dashboard = Path.Combine(Repo, "deploy", "grafana", "focus.json");

    /// <summary>Made by Prometheus for each target, never in an exposition.</summary>
    private static readonly string[] Synthesized = ["up"];

    private const string Target = "job=\"focus-silo\",instance=\"silo-0\"";

    [Fact]
    public async Task Promtool_checks_the_rules_file()
    {
        var (exit, text) = await Promtool("check", "rules", RulesFile);
        output.WriteLine(text);
        Assert.True(exit == 0, text);
        Assert.Contains($"SUCCESS: {Rules().Count} rules found", text);
    }

    [Fact]
    public void Every_metric_of_the_dashboard_and_the_rules_is_in_a_real_scrape()
    {
        var scraped = service.SeriesNames();
        var used = DashboardExpressions().Concat(Rules().Select(r => r.Expr))
            .SelectMany(PromQl.MetricNames).Except(Synthesized).ToHashSet(StringComparer.Ordinal);
        output.WriteLine(string.Join('\n', used.Order(StringComparer.Ordinal)));
        Assert.True(used.Count >= 20, $"only {used.Count} metric names found in the dashboard and rules");
        var missing = used.Where(name => !scraped.Contains(name)).ToList();
        Assert.True(missing.Count == 0, "not in a real scrape: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_dashboard_covers_what_an_operator_asks()
    {
        var titles = JsonNode.Parse(File.ReadAllText(Dashboard))!["panels"]!.AsArray().Select(p => (string)p!["title"]!).ToList();
        foreach (var needed in new[] { "Jobs running by silo", "/configure latency", "Time to first line", "Lines/s by silo", "Gaps and drops /s",
                     "Queue depth by silo", "Health checks (broker, catalog, cluster)", "CPU per silo (cores)", "GC heap and pause" })
            Assert.Contains(needed, titles);
    }

    [Fact]
    public async Task The_rules_are_quiet_on_the_scraped_series_and_fire_when_they_turn_bad()
    {
        var samples = service.Samples().Where(s => double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)).ToList();
        var workingSet = Value(samples, "dotnet_process_memory_working_set_bytes");

        string Healthy((string Name, string Labels, string Value) s) => $"{s.Value}+0x40";
        string Broken((string Name, string Labels, string Value) s) => s switch
        {
            ("focus_jobs_failed_total", var l, var v) when l.Contains("mode=\"live\"") => $"{v}+1x40",
            ("focus_queue_dropped_total", _, var v) => $"{v}+5x40",
            ("focus_config_apply_seconds_bucket", var l, var v) when l.Contains("le=\"+Inf\"") => $"{v}+10x40",
            ("focus_config_apply_seconds_count", _, var v) => $"{v}+10x40",
            ("focus_ready", _, _) => "0x40",
            ("focus_health_check", var l, _) when l.Contains("check=\"catalog\"") => "0x40",
            ("focus_memory_limit_bytes", _, _) => $"{(workingSet * 1.05).ToString("F0", CultureInfo.InvariantCulture)}x40",
            ("orleans_consistent_ring_size", _, _) => "0x40",
            var other => Healthy(other),
        };

        var alerts = Rules().Select(r => r.Alert).ToList();
        var firing = new Dictionary<string, string>
        {
            ["FocusSiloDown"] = "{severity: critical, job: focus-silo, instance: silo-0}",
            ["FocusClusterSmaller"] = "{severity: critical}",
            ["FocusNotReady"] = "{severity: critical, job: focus-silo, instance: silo-0}",
            ["FocusHealthCheckFailing"] = "{severity: warning, job: focus-silo, instance: silo-0, check: catalog}",
            ["FocusJobsFailing"] = "{severity: warning, mode: live}",
            ["FocusDropsGrowing"] = "{severity: warning, job: focus-silo, instance: silo-0}",
            ["FocusConfigureSlow"] = "{severity: warning}",
            ["FocusMemoryNearLimit"] = "{severity: warning, job: focus-silo, instance: silo-0}",
        };
        Assert.Equal(firing.Keys.Order(), alerts.Order()); // every rule is exercised both ways

        var folder = Directory.CreateTempSubdirectory("focus-promtool-").FullName;
        try
        {
            var rules = Path.Combine(folder, "rules.yaml");
            await File.WriteAllTextAsync(rules, RulesWithoutAnnotations()); // annotations are text; promtool would compare them too
            var test = new StringBuilder($"rule_files: ['{rules}']\nevaluation_interval: 1m\ntests:\n");
            // Healthy: the scrape as it was, for 40 minutes.
            AppendTest(test, samples, Healthy, ["      - series: 'up{" + Target + "}'\n        values: '1x40'"],
                alerts.Select(a => (a, (string?)null)));
            // Broken: the same series, turned bad one by one; a second silo answers scrapes while silo-0 does not.
            AppendTest(test, samples, Broken,
                ["      - series: 'up{" + Target + "}'\n        values: '0x40'", "      - series: 'up{job=\"focus-silo\",instance=\"silo-1\"}'\n        values: '1x40'"],
                alerts.Select(a => (a, (string?)firing[a])));
            var file = Path.Combine(folder, "test.yaml");
            await File.WriteAllTextAsync(file, test.ToString());
            var (exit, text) = await Promtool("test", "rules", file);
            output.WriteLine(text);
            Assert.True(exit == 0, text);
            Assert.Contains("SUCCESS", text);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task The_prod_PrometheusRule_holds_the_rules_file()
    {
        var rendered = await Manifests.RenderAsync("overlays/prod/monitoring");
        var objects = rendered.Split("\n---", StringSplitOptions.RemoveEmptyEntries)
            .Select(doc => new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(doc)).ToList();
        var rule = Assert.Single(objects, o => (string)o["kind"] == "PrometheusRule");
        var spec = (Dictionary<object, object>)rule["spec"];
        Assert.Equal(Json(Yaml(File.ReadAllText(RulesFile))["groups"]), Json(spec["groups"]));

        // The scrape: silos and gateways on the management port, jobs named as the rules expect, credentials by reference.
        var monitors = objects.Where(o => (string)o["kind"] == "PodMonitor").ToList();
        Assert.Equal(["focus-gateway", "focus-silo"], monitors.Select(m => (string)((Dictionary<object, object>)m["metadata"])["name"]).Order());
        foreach (var monitor in monitors)
        {
            var monitorSpec = (Dictionary<object, object>)monitor["spec"];
            Assert.Equal("app.kubernetes.io/name", monitorSpec["jobLabel"]);
            var endpoint = (Dictionary<object, object>)((List<object>)monitorSpec["podMetricsEndpoints"]).Single();
            Assert.Equal("management", endpoint["port"]);
            Assert.Equal("/metrics", endpoint["path"]);
            var oauth2 = (Dictionary<object, object>)endpoint["oauth2"];
            Assert.Equal("focus-prometheus", ((Dictionary<object, object>)((Dictionary<object, object>)oauth2["clientId"])["secret"])["name"]);
            Assert.Equal("focus-prometheus", ((Dictionary<object, object>)oauth2["clientSecret"])["name"]);
            Assert.StartsWith("https://", (string)oauth2["tokenUrl"]);
        }
    }

    private static void AppendTest(StringBuilder test, IEnumerable<(string Name, string Labels, string Value)> samples,
        Func<(string Name, string Labels, string Value), string> values, IEnumerable<string> extra, IEnumerable<(string Alert, string? Labels)> expected)
    {
        test.Append("  - interval: 1m\n    input_series:\n");
        foreach (var s in samples)
        {
            var labels = s.Labels.Length == 0 ? "{" + Target + "}" : "{" + Target + "," + s.Labels[1..];
            test.Append("      - series: '").Append((s.Name + labels).Replace("'", "''", StringComparison.Ordinal)).Append("'\n")
                .Append("        values: '").Append(values(s)).Append("'\n");
        }
        foreach (var e in extra) test.Append(e).Append('\n');
        test.Append("    alert_rule_test:\n");
        foreach (var (alert, labels) in expected)
        {
            test.Append("      - eval_time: 30m\n        alertname: ").Append(alert).Append('\n');
            test.Append(labels is null ? "        exp_alerts: []\n" : $"        exp_alerts:\n          - exp_labels: {labels}\n");
        }
    }

    private static double Value(IEnumerable<(string Name, string Labels, string Value)> samples, string name) =>
        double.Parse(samples.First(s => s.Name == name).Value, CultureInfo.InvariantCulture);

    private sealed record Rule(string Alert, string Expr);

    private static List<Rule> Rules() =>
        [.. ((List<object>)Yaml(File.ReadAllText(RulesFile))["groups"]).Cast<Dictionary<object, object>>()
            .SelectMany(g => ((List<object>)g["rules"]).Cast<Dictionary<object, object>>())
            .Select(r => new Rule((string)r["alert"], (string)r["expr"]))];

    private static string RulesWithoutAnnotations()
    {
        var yaml = Yaml(File.ReadAllText(RulesFile));
        foreach (var group in ((List<object>)yaml["groups"]).Cast<Dictionary<object, object>>())
        foreach (var rule in ((List<object>)group["rules"]).Cast<Dictionary<object, object>>())
            rule.Remove("annotations");
        return new SerializerBuilder().Build().Serialize(yaml);
    }

    private static IEnumerable<string> DashboardExpressions() =>
        JsonNode.Parse(File.ReadAllText(Dashboard))!["panels"]!.AsArray()
            .SelectMany(p => p!["targets"]?.AsArray() ?? [])
            .Select(t => (string)t!["expr"]!);

    private static Dictionary<object, object> Yaml(string text) => new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(text);

    /// <summary>The value as JSON with every map's keys in order (kubectl writes them sorted).</summary>
    private static string Json(object value) => JsonSerializer.Serialize(Canonical(value));

    private static object? Canonical(object? value) => value switch
    {
        Dictionary<object, object> map => new SortedDictionary<string, object?>(map.ToDictionary(e => (string)e.Key, e => Canonical(e.Value)), StringComparer.Ordinal),
        List<object> list => list.Select(Canonical).ToList(),
        _ => value,
    };

    private static async Task<(int Exit, string Text)> Promtool(params string[] args)
    {
        var start = new ProcessStartInfo("promtool", args) { RedirectStandardOutput = true, RedirectStandardError = true };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("promtool is not on PATH (test.sh installs Debian's prometheus: tests/servers/prometheus.sh)", ex);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
            return (process.ExitCode, await stdout + await stderr);
        }
    }
}

/// <summary>Prometheus asks for gzip on every scrape; what it gets must decode (a real Prometheus reported "gzip: invalid header").</summary>
public sealed class CompressedScrapeTests(ScrapedService service) : IClassFixture<ScrapedService>
{
    [Fact]
    public async Task A_scrape_asking_for_gzip_gets_a_body_that_decodes()
    {
        using var http = new HttpClient(new HttpClientHandler { AutomaticDecompression = System.Net.DecompressionMethods.None }) { BaseAddress = service.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "metrics");
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        using var response = await http.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        string text;
        if (response.Content.Headers.ContentEncoding.Contains("gzip"))
        {
            using var gzip = new System.IO.Compression.GZipStream(new MemoryStream(bytes), System.IO.Compression.CompressionMode.Decompress);
            using var reader = new StreamReader(gzip);
            text = await reader.ReadToEndAsync();
        }
        else
        {
            Assert.Empty(response.Content.Headers.ContentEncoding);
            text = System.Text.Encoding.UTF8.GetString(bytes);
        }
        Assert.Contains("# TYPE focus_jobs_running gauge", text);
        Assert.Contains("# TYPE focus_time_to_first_frame_seconds histogram", text);
    }
}
