using System.Text;
using System.Text.Json;

namespace Focus.LoadBench;

/// <summary>
/// <c>Focus.LoadBench compare A.json B.json …</c>: the summaries of several runs (e.g. one silo and a
/// cluster, same workload) as markdown tables with one column per run, ready to paste.
/// </summary>
internal static class Comparison
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static RunSummary Load(string path) =>
        JsonSerializer.Deserialize<RunSummary>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path}: empty");

    public static string ToMarkdown(IReadOnlyList<RunSummary> runs)
    {
        var names = Names(runs);
        var sb = new StringBuilder();
        sb.AppendLine($"#### {string.Join(" vs ", names)}: {runs[0].Clients} clients create {runs[0].JobsRequested} live jobs of {runs[0].Channels} channels, then read them in steps");
        sb.AppendLine();
        sb.AppendLine($"- machine: {runs[0].Machine}");
        foreach (var (run, name) in runs.Zip(names))
            sb.AppendLine($"- {name}: {run.Description}; run of {run.StartedUtc:yyyy-MM-dd HH:mm} UTC, load average before {run.LoadBefore}, after {run.LoadAfter}; `{run.Command}`{(run.Failure is null ? "" : $"; **failed**: {run.Failure}")}");
        sb.AppendLine();

        void Row(string what, Func<RunSummary, string> value) =>
            sb.AppendLine($"| {what} | {string.Join(" | ", runs.Select(value))} |");
        sb.AppendLine($"| | {string.Join(" | ", names)} |");
        sb.AppendLine($"|---|{string.Concat(runs.Select(_ => "---|"))}");
        Row("processes", r => $"{r.Processes.Length} ({string.Join(", ", r.Processes)})");
        Row("**sustained: largest step in which every job kept up**", r => $"**{r.SustainedJobs}**{(r.Steps.Length > 0 && r.SustainedJobs == r.Steps.Max(s => s.Jobs) ? " (every step; the ceiling is higher)" : "")}");
        Row("started in (to ready)", r => $"{F(r.StartupSeconds, "0.0")} s");
        Row("jobs created", r => $"{r.JobsCreated}/{r.JobsRequested}");
        Row("jobs per silo", r => r.JobsPerSilo.Length > 1 ? string.Join(" / ", r.JobsPerSilo.Select(v => F(v, "0"))) : "–");
        Row("/configure one at a time: p50 / p99", r => $"{Ms(r.ConfigureSequentialP50)} / {Ms(r.ConfigureSequentialP99)} ms");
        Row($"/configure, {runs[0].Clients} clients at once: p50 / p99", r => $"{Ms(r.ConfigureLoadP50)} / {Ms(r.ConfigureLoadP99)} ms");
        Row("service CPU per created job", r => $"{Ms(r.CreateCpuMsPerJob)} ms");
        Row("first line p95: one at a time / under the creation burst", r => $"{Ms(r.FirstLineSequentialP95)} / {Ms(r.FirstLineLoadP95)} ms");
        Row("service CPU in the first 3 s after ready, no job (includes warm-up)", r => $"{F(r.IdleCpu)} cores");
        Row("RSS: idle / all jobs unread / peak (sum of processes)", r => $"{F(r.RssIdleMiB, "0")} / {F(r.RssUnreadMiB, "0")} / {F(r.RssPeakMiB, "0")} MiB");
        Row("child processes left after the run", r => r.Orphans.Length == 0 ? "none" : string.Join(", ", r.Orphans));
        sb.AppendLine();

        // one row per run and step, the runs of a step next to each other: a table per run would be as long, and
        // one column per run and figure too wide to read
        var steps = runs.SelectMany(r => r.Steps.Select(s => s.Jobs)).Distinct().Order().ToArray();
        sb.AppendLine("| jobs read | service | keep up | lines/s per reader: median / min (33.3) | service CPU (cores) | service threads waiting for a CPU | other processes' CPU | job lines computed/s | service CPU per job line | service RSS | GET /channels: p50 / max |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var jobs in steps)
            foreach (var (run, name) in runs.Zip(names))
            {
                if (run.Steps.FirstOrDefault(s => s.Jobs == jobs) is not { } s)
                {
                    sb.AppendLine($"| {jobs} | {name} | not run | | | | | | | | |");
                    continue;
                }
                sb.AppendLine($"| {jobs} | {name} | **{s.KeepUp}/{s.Jobs}**{(s.ReadersWithJumps > 0 ? $", {s.ReadersWithJumps} with row jumps" : "")}{(s.StreamErrors > 0 ? $", {s.StreamErrors} stream errors" : "")} " +
                    $"| {F(s.MedianLinesPerSecond, "0.0")} / {F(s.MinLinesPerSecond, "0.0")} " +
                    $"| {F(s.ServiceCpu)}{PerProcess(run, s.CpuPerProcess, v => F(v))} | {F(s.ServiceWait, "0.0")} | {F(s.OtherCpu)} " +
                    $"| {F(s.LinesPerSecond, "0")} | {F(s.MsPerLine, "0.00")} ms " +
                    $"| {F(s.RssMiB, "0")} MiB{PerProcess(run, s.RssPerProcessMiB, v => F(v, "0"))} " +
                    $"| {Ms(s.ChannelsProbeP50Ms)} / {Ms(s.ChannelsProbeMaxMs)} ms |");
            }
        sb.AppendLine();
        sb.AppendLine("A job keeps up when its reader got ≥ 95 % of the expected 33.3 lines/s with no row_index jump in the window. " +
            "Service CPU and RSS are summed over the service's processes (each in parentheses, in the order of \"processes\"); " +
            "\"other processes\" = the whole machine − service − bench (other work on the host). " +
            "\"Service threads waiting for a CPU\" = run-queue delay of all its threads per second (how starved it was); " +
            "\"service CPU per job line\" = service CPU / lines computed (focus_lines_emitted_total summed over the silos). " +
            "Each run's full report (latency, lag, threads, log warnings) follows.");
        return sb.ToString();
    }

    private static string PerProcess(RunSummary run, double[] values, Func<double, string> format) =>
        run.Processes.Length < 2 || values.Length != run.Processes.Length ? ""
            : " (" + string.Join(" / ", values.Select(format)) + ")";

    /// <summary>"1 silo", "3 silos + gateway"; "1 silo #2" when a label repeats (several rounds).</summary>
    private static string[] Names(IReadOnlyList<RunSummary> runs)
    {
        var seen = new Dictionary<string, int>();
        var repeated = runs.GroupBy(r => r.Label).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        return [.. runs.Select(r =>
        {
            var k = seen[r.Label] = seen.GetValueOrDefault(r.Label) + 1;
            return repeated.Contains(r.Label) ? $"{r.Label} #{k}" : r.Label;
        })];
    }

    private static string Ms(double? v) => Stats.Ms(v ?? double.NaN);

    private static string F(double? v, string format = "0.00") => Stats.F(v ?? double.NaN, format);
}
