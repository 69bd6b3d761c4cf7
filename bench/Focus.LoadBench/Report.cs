using System.Text;
using static Focus.LoadBench.Stats;

namespace Focus.LoadBench;

internal sealed record ReaderResult(double LinesPerSecond, double Expected, long Jumps, long Missing, double LagAtEndMs, double MaxLagMs,
    bool KeepsUp, string? Error);

internal sealed class ReadStep(int jobs)
{
    public int Jobs => jobs;
    public List<ReaderResult> Readers { get; } = [];
    public CpuUse Cpu { get; set; }
    public double LinesEmitted { get; set; } = double.NaN;
    public long Rss { get; set; }
    public long[] RssPerProcess { get; set; } = [];
    public int Threads { get; set; }
    public Dictionary<string, double> Metrics { get; set; } = [];
    public List<double> ProbeMs { get; } = [];
    public int KeepUp => Readers.Count(r => r.KeepsUp);
    public double LinesPerSecond => LinesEmitted / Cpu.Seconds;
    public double MsPerLine => Cpu.Service * 1000 / LinesPerSecond;

    /// <summary>2 cores / (CPU s per line × lines/s per job): the capacity this cost implies on an idle 2-core machine.</summary>
    public double JobsTwoCoresWouldCarry => 2.0 / (MsPerLine / 1000 * (Readers.Count > 0 ? Readers[0].Expected : double.NaN));
    public double MedianRate => Percentile(Readers.Select(r => r.LinesPerSecond).ToArray(), 50);
}

internal sealed class Report(BenchOptions options, string command, string loadBefore, DateTimeOffset started)
{
    /// <summary>"silo" (one process) or "cluster" (silos + gateway): how the report names the service.</summary>
    public string Subject { get; set; } = "silo";
    public string? Description { get; set; }
    public string? Label { get; set; }
    public IReadOnlyList<(string Name, string CommandLine)> Commands { get; set; } = [];
    public string[] ProcessNames { get; set; } = [];
    public long[] RssIdlePerProcess { get; set; } = [];
    public long[] RssPeakPerProcess { get; set; } = [];
    public double[] JobsPerSilo { get; set; } = [];
    public string[] SiloNames { get; set; } = [];
    public IReadOnlyList<(string Name, TimeSpan? Exited)> Shutdown { get; set; } = [];
    public IReadOnlyList<string> Orphans { get; set; } = [];
    public double StartupSeconds { get; set; }
    public int LowestChannel { get; set; } = 1;
    public int HighestChannel { get; set; } = 2222;
    public long RssIdle { get; set; }
    public CpuUse IdleCpu { get; set; }
    public int ThreadsIdle { get; set; }
    public List<ConfigureResult> ConfigureSequential { get; } = [];
    public List<double> FirstLineSequential { get; } = [];
    /// <summary>From sending /configure to the first line on stream 0 (the /configure time plus the first line's).</summary>
    public List<double> ConfigureToLineSequential { get; } = [];
    /// <summary>With --host process: the RSS of each analyzer process with every job unread.</summary>
    public List<double> AnalyzerRssUnread { get; } = [];
    public long RssAfterSequential { get; set; }
    public int ThreadsAfterSequential { get; set; }
    public List<ConfigureResult> ConfigureLoad { get; } = [];
    public double LoadSeconds { get; set; }
    public CpuUse LoadCpu { get; set; }
    public List<double> FirstLineLoad { get; } = [];
    public List<string> FirstLineErrors { get; } = [];
    public int JobsCreated { get; set; }
    public long RssUnread { get; set; }
    public int ThreadsUnread { get; set; }
    public IReadOnlyList<(string Name, int Count)> ThreadNamesUnread { get; set; } = [];
    public Dictionary<string, double> MetricsUnread { get; set; } = [];
    public List<ReadStep> Steps { get; } = [];
    public double DeleteSeconds { get; set; }
    public List<double> DeleteMs { get; } = [];
    public List<string> DeleteErrors { get; } = [];
    public int PortsChecked { get; set; }
    public int PortsFree { get; set; }
    public List<int> PortsBusy { get; } = [];
    public int JobsListedAfter { get; set; } = -1;
    public Dictionary<string, double> MetricsAfter { get; set; } = [];
    public long RssAfter { get; set; }
    public long RssPeak { get; set; }
    public int ThreadsAfter { get; set; }
    public bool ShutdownAttempted { get; set; }
    public int MetricsFailures { get; set; }
    public int SiloProblemCount { get; set; }
    public IReadOnlyList<(string Process, int Count, string Example)> SiloProblemKinds { get; set; } = [];
    public int ThreadsLater { get; set; }
    public string? SiloLog { get; set; }
    public double StopSeconds => Shutdown.Count == 0 || Shutdown.Any(s => s.Exited is null) ? double.NaN : Shutdown.Max(s => s.Exited!.Value.TotalSeconds);
    public string? Failure { get; set; }
    public string LoadAfter { get; set; } = "?";

    private static string PerJob(long rss, long idle, int jobs) =>
        jobs <= 0 || rss == 0 ? "n/a" : F((rss - idle) / 1024.0 / 1024.0 / jobs, "0.00");

    private static string Metric(Dictionary<string, double> m, string name) =>
        m.TryGetValue(name, out var v) ? F(v, "0") : "n/a";

    /// <summary>"silo" for one process; "cluster" (its processes summed) otherwise.</summary>
    private string S => Subject;

    private bool Several => ProcessNames.Length > 1;

    /// <summary>" (silo-0 0.31 / silo-1 0.29 / … )" after a sum, when there are several processes.</summary>
    private string Each(IReadOnlyList<double> values, Func<double, string> format) =>
        !Several || values.Count != ProcessNames.Length ? "" : " (" + string.Join(" / ", ProcessNames.Select((name, i) => $"{name} {format(values[i])}")) + ")";

    private string EachMiB(IReadOnlyList<long> values) => Each([.. values.Select(v => (double)v)], v => MiB((long)v));

    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        var okSeq = ConfigureSequential.Where(r => r.Job is not null).Select(r => r.Milliseconds).ToArray();
        var okLoad = ConfigureLoad.Where(r => r.Job is not null).Select(r => r.Milliseconds).ToArray();
        var failedLoad = ConfigureLoad.Where(r => r.Job is null).ToList();
        var retries = ConfigureLoad.Sum(r => r.Retries) + ConfigureSequential.Sum(r => r.Retries);
        var n = JobsCreated;
        var ch = options.ChannelsPerJob;

        sb.AppendLine($"### Run of {started:yyyy-MM-dd HH:mm} UTC{(Several ? $" — {S}" : "")}");
        sb.AppendLine();
        sb.AppendLine($"- machine: {Proc.CpuModel()}, {Environment.ProcessorCount} cores, {MachineMemory()}; load average before {loadBefore}, after {LoadAfter} (shared machine: other engineers' builds and tests run alongside)");
        sb.AppendLine($"- command: `{command.Trim()}`");
        if (Description is not null && Several) sb.AppendLine($"- service: {Description}; \"{S}\" figures are summed over its {ProcessNames.Length} processes ({string.Join(", ", ProcessNames)}), each one's in parentheses");
        foreach (var (name, commandLine) in Commands) sb.AppendLine($"- {name}: `{commandLine}`");
        sb.AppendLine($"- jobs: MULTICHANNEL, {ch} channels each spread over channels {LowestChannel}..{HighestChannel}, nfft 1024, displayTimeAxisDuration 30, height 1000 (hop 60, 2000/60 = 33.3 lines/s per stream); spectral engine: the silo's default (Focus:Analyzer:Engine)");
        sb.AppendLine($"- {S} started (to {(Several ? "/health/ready and /channels 200 on the gateway, every silo active in membership" : "/channels 200")}) in {F(StartupSeconds, "0.0")} s");
        if (Failure is not null) sb.AppendLine($"- **bench failed**: {Failure}");
        sb.AppendLine();
        sb.AppendLine("| measurement | result | target |");
        sb.AppendLine("|---|---|---|");
        sb.AppendLine($"| /configure, 1 client sequential, {okSeq.Length} jobs: p50 / p95 / p99 / max | {Summary(okSeq)} ms | |");
        if (ConfigureSequential.Count > 0 && FirstLineSequential.Count > 0)
            sb.AppendLine($"| of which the first job (cold {S}): /configure / first line | {Ms(ConfigureSequential[0].Milliseconds)} ms / {Ms(FirstLineSequential[0])} ms | |");
        sb.AppendLine($"| /configure, {options.Clients} clients create {options.Jobs} jobs: p50 / p95 / p99 / max | {Summary(okLoad)} ms | p99 < 50 ms |");
        sb.AppendLine($"| creation under load | {n}/{options.Jobs} created in {F(LoadSeconds, "0.0")} s ({F(n / Math.Max(LoadSeconds, 1e-9), "0.0")} jobs/s); failures {failedLoad.Count}{(failedLoad.Count > 0 ? $" (first: {failedLoad[0].Status} {failedLoad[0].Error})" : "")}; 503 retries {retries}; {S} CPU {F(LoadCpu.Service)} cores{Each(LoadCpu.PerProcess ?? [], v => F(v))} = {F(LoadCpu.Service * LoadCpu.Seconds * 1000 / Math.Max(1, n), "0.0")} ms CPU per created job; other processes {F(LoadCpu.Machine - LoadCpu.Service - LoadCpu.Bench)} cores | |");
        if (JobsPerSilo.Length > 1)
            sb.AppendLine($"| jobs per silo after creation (focus_jobs_running of each) | {string.Join(" / ", SiloNames.Select((name, i) => $"{name} {F(JobsPerSilo[i], "0")}"))} | |");
        sb.AppendLine($"| first line after /configure, sequential ({FirstLineSequential.Count} jobs): p50 / p95 / max | {Summary(FirstLineSequential, false)} ms | p95 < 300 ms |");
        if (ConfigureToLineSequential.Count > 0)
            sb.AppendLine($"| /configure sent to first line, sequential ({ConfigureToLineSequential.Count} jobs, --host {options.Host}): p50 / p95 / max | {Summary(ConfigureToLineSequential, false)} ms | process: p95 < 1 s |");
        sb.AppendLine($"| first line after /configure, under the {options.Jobs}-job load ({FirstLineLoad.Count} jobs): p50 / p95 / max | {Summary(FirstLineLoad, false)} ms | p95 < 300 ms |");
        if (FirstLineErrors.Count > 0) sb.AppendLine($"| first-line failures | {FirstLineErrors.Count} (first: {FirstLineErrors[0]}) | |");
        sb.AppendLine($"| {S} CPU in the first 3 s after ready, no job (includes warm-up) | {F(IdleCpu.Service)} cores{Each(IdleCpu.PerProcess ?? [], v => F(v))} | |");
        sb.AppendLine($"| {S} RSS idle (no job) | {MiB(RssIdle)} MiB{EachMiB(RssIdlePerProcess)}, {ThreadsIdle} threads | |");
        sb.AppendLine($"| {S} RSS after {okSeq.Length} sequential jobs created and deleted | {MiB(RssAfterSequential)} MiB, {ThreadsAfterSequential} threads | |");
        sb.AppendLine($"| {S} RSS with {n} jobs unread | {MiB(RssUnread)} MiB = {PerJob(RssUnread, RssIdle, n)} MiB/job over idle; {ThreadsUnread} threads; focus_jobs_running {Metric(MetricsUnread, "focus_jobs_running")} | {n} jobs < 2 GiB |");
        if (AnalyzerRssUnread.Count > 0)
            sb.AppendLine($"| analyzer processes with {n} jobs unread ({AnalyzerRssUnread.Count} processes): RSS p50 / max / sum | {F(Percentile(AnalyzerRssUnread, 50), "0.0")} / {F(AnalyzerRssUnread.Max(), "0.0")} / {F(AnalyzerRssUnread.Sum(), "0")} MiB | |");
        if (ThreadNamesUnread.Count > 0)
            sb.AppendLine($"| {S} threads by name with {n} jobs unread | {string.Join(", ", ThreadNamesUnread.Take(6).Select(t => $"{t.Name.Replace("|", "/", StringComparison.Ordinal)} × {t.Count}"))} | |");
        var full = Steps.LastOrDefault();
        if (full is not null)
            sb.AppendLine($"| {S} RSS with {full.Jobs} jobs each read by one client | {MiB(full.Rss)} MiB{EachMiB(full.RssPerProcess)} = {PerJob(full.Rss, RssIdle, full.Jobs)} MiB/job over idle (all {n} jobs alive); {full.Threads} threads | {full.Jobs} jobs < 2 GiB |");
        sb.AppendLine($"| {S} peak RSS (VmHWM) over the run | {MiB(RssPeak)} MiB{EachMiB(RssPeakPerProcess)}{(Several ? " (sum of each process's peak)" : "")} | |");
        sb.AppendLine($"| DELETE every job ({options.Clients} clients): p50 / p95 / p99 / max | {Summary(DeleteMs)} ms, {F(DeleteSeconds, "0.0")} s in all; non-200: {DeleteErrors.Count}{(DeleteErrors.Count > 0 ? $" (first: {DeleteErrors[0]})" : "")} | |");
        sb.AppendLine($"| after cleanup | stream ports free {PortsFree}/{PortsChecked}{(PortsBusy.Count > 0 ? $" (busy: {string.Join(",", PortsBusy.Take(5))})" : "")}; /jobs lists {JobsListedAfter}; focus_jobs_running {Metric(MetricsAfter, "focus_jobs_running")}; RSS {MiB(RssAfter)} MiB; {ThreadsAfter} threads, {ThreadsLater} threads 25 s later (idle: {ThreadsIdle}) | |");
        sb.AppendLine($"| {S} shutdown on SIGTERM | {ShutdownText()} | |");
        sb.AppendLine($"| child processes left after the run | {(Orphans.Count == 0 ? "none" : string.Join(", ", Orphans))} | none |");
        if (MetricsFailures > 0) sb.AppendLine($"| GET /metrics without an answer in 15 s | {MetricsFailures} | |");
        sb.AppendLine($"| {S} log lines at warning or above | {SiloProblemCount}{(SiloLog is not null ? $" (log: {SiloLog})" : "")} | |");
        sb.AppendLine();

        if (Steps.Count > 0)
        {
            sb.AppendLine($"Jobs read in real time: each of the first N jobs read by one client on stream 0 for a {options.ReadSeconds} s window after {options.WarmupSeconds} s of warm-up (the other {n} − N jobs stay unread). A job keeps up when its reader got ≥ 95 % of the expected lines with no row_index jump in the window. CPU in cores (1.00 = one core busy, the machine has {Environment.ProcessorCount}){(Several ? $"; \"{S} CPU\" is the sum over its processes" : "")}; \"other processes\" = whole machine (/proc/stat) − {S} − bench: the other engineers' load; \"{S} threads waiting for a CPU\" = run-queue delay of all {S} threads (/proc/pid/task/*/schedstat) per second, i.e. how many {S} threads were runnable but not running on average. A job line is one frame of all {ch} channels of a job (focus_lines_emitted_total{(Several ? ", summed over the silos" : "")}); \"jobs 2 free cores would carry\" = 2 / ({S} CPU per line × 33.3 lines/s), the capacity this cost implies on an otherwise idle 2-core machine. Lag = wall clock − timestamp_in_milis of the newest line (a line's frame is 1024/2000 = 512 ms long, so ~0.5 s is the floor).");
            sb.AppendLine();
            sb.AppendLine($"| jobs read | keep up | lines/s per reader: median / min (expected 33.3) | readers with jumps (rows lost) | lag at end: median / max (ms) | {S} CPU | other processes' CPU | bench CPU | {S} threads waiting for a CPU (avg) | job lines computed/s | {S} CPU per job line | jobs 2 free cores would carry | {S} RSS | GET /channels during the window: p50 / max (failed) | focus_jobs_running | focus_queue_depth |");
            sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
            foreach (var step in Steps)
            {
                var rates = step.Readers.Select(r => r.LinesPerSecond).ToArray();
                var lags = step.Readers.Select(r => r.LagAtEndMs).Where(v => !double.IsNaN(v)).ToArray();
                var errors = step.Readers.Count(r => r.Error is not null);
                var probes = step.ProbeMs.Where(v => !double.IsNaN(v)).ToArray();
                sb.AppendLine($"| {step.Jobs} | {step.KeepUp}/{step.Jobs}{(errors > 0 ? $" ({errors} stream errors: {step.Readers.First(r => r.Error is not null).Error})" : "")} " +
                    $"| {F(Percentile(rates, 50), "0.0")} / {F(rates.DefaultIfEmpty(double.NaN).Min(), "0.0")} " +
                    $"| {step.Readers.Count(r => r.Jumps > 0)} ({step.Readers.Sum(r => r.Missing)}) " +
                    $"| {F(Percentile(lags, 50), "0")} / {F(lags.DefaultIfEmpty(double.NaN).Max(), "0")} " +
                    $"| {F(step.Cpu.Service)}{Each(step.Cpu.PerProcess ?? [], v => F(v))} | {F(step.Cpu.Machine - step.Cpu.Service - step.Cpu.Bench)} | {F(step.Cpu.Bench)} | {F(step.Cpu.ServiceWait, "0.0")} " +
                    $"| {F(step.LinesPerSecond, "0")} | {F(step.MsPerLine, "0.00")} ms | {F(step.JobsTwoCoresWouldCarry, "0")} | {MiB(step.Rss)} MiB{EachMiB(step.RssPerProcess)} " +
                    $"| {Ms(Percentile(probes, 50))} / {Ms(probes.DefaultIfEmpty(double.NaN).Max())} ms ({step.ProbeMs.Count(double.IsNaN)}) " +
                    $"| {Metric(step.Metrics, "focus_jobs_running")} | {Metric(step.Metrics, "focus_queue_depth")} |");
            }
        }
        if (SiloProblemCount > 0)
        {
            sb.AppendLine();
            sb.AppendLine($"{(Several ? "Log entries of the processes" : "Silo log entries")} at warning or above, by kind (numbers folded; one example each):");
            sb.AppendLine();
            sb.AppendLine(Several ? "| process | count | example |" : "| count | example |");
            sb.AppendLine(Several ? "|---|---|---|" : "|---|---|");
            foreach (var (process, count, example) in SiloProblemKinds.OrderByDescending(k => k.Count).Take(10))
                sb.AppendLine((Several ? $"| {process} " : "") + $"| {count} | {example.Replace("|", "\\|", StringComparison.Ordinal)} |");
        }
        return sb.ToString();
    }

    /// <summary>The figures <c>compare</c> needs (written by <c>--json</c>).</summary>
    public RunSummary ToSummary()
    {
        static double? N(double v) => double.IsNaN(v) || double.IsInfinity(v) ? null : Math.Round(v, 3);
        static double Mb(long bytes) => Math.Round(bytes / 1024.0 / 1024.0, 1);
        var okSeq = ConfigureSequential.Where(r => r.Job is not null).Select(r => r.Milliseconds).ToArray();
        var okLoad = ConfigureLoad.Where(r => r.Job is not null).Select(r => r.Milliseconds).ToArray();
        return new RunSummary
        {
            Subject = Subject,
            Label = Label ?? Subject,
            Description = Description ?? Subject,
            Processes = ProcessNames,
            StartedUtc = started,
            Command = command.Trim(),
            Machine = $"{Proc.CpuModel()}, {Environment.ProcessorCount} cores, {MachineMemory()}",
            LoadBefore = loadBefore,
            LoadAfter = LoadAfter,
            StartupSeconds = Math.Round(StartupSeconds, 1),
            JobsRequested = options.Jobs,
            JobsCreated = JobsCreated,
            Clients = options.Clients,
            Channels = options.ChannelsPerJob,
            ConfigureSequentialP50 = N(Percentile(okSeq, 50)),
            ConfigureSequentialP99 = N(Percentile(okSeq, 99)),
            ConfigureLoadP50 = N(Percentile(okLoad, 50)),
            ConfigureLoadP99 = N(Percentile(okLoad, 99)),
            FirstLineSequentialP95 = N(Percentile(FirstLineSequential, 95)),
            FirstLineLoadP95 = N(Percentile(FirstLineLoad, 95)),
            CreateCpuMsPerJob = N(LoadCpu.Service * LoadCpu.Seconds * 1000 / Math.Max(1, JobsCreated)),
            JobsPerSilo = JobsPerSilo,
            RssIdleMiB = Mb(RssIdle),
            IdleCpu = Math.Round(IdleCpu.Service, 3),
            RssUnreadMiB = Mb(RssUnread),
            RssPeakMiB = Mb(RssPeak),
            Failure = Failure,
            Orphans = [.. Orphans],
            Steps = [.. Steps.Select(step =>
            {
                var rates = step.Readers.Select(r => r.LinesPerSecond).ToArray();
                var lags = step.Readers.Select(r => r.LagAtEndMs).Where(v => !double.IsNaN(v)).ToArray();
                var probes = step.ProbeMs.Where(v => !double.IsNaN(v)).ToArray();
                return new StepSummary
                {
                    Jobs = step.Jobs,
                    KeepUp = step.KeepUp,
                    MedianLinesPerSecond = N(Percentile(rates, 50)),
                    MinLinesPerSecond = N(rates.DefaultIfEmpty(double.NaN).Min()),
                    ReadersWithJumps = step.Readers.Count(r => r.Jumps > 0),
                    StreamErrors = step.Readers.Count(r => r.Error is not null),
                    LagMedianMs = N(Percentile(lags, 50)),
                    LagMaxMs = N(lags.DefaultIfEmpty(double.NaN).Max()),
                    ServiceCpu = Math.Round(step.Cpu.Service, 3),
                    CpuPerProcess = [.. (step.Cpu.PerProcess ?? []).Select(v => Math.Round(v, 3))],
                    OtherCpu = Math.Round(step.Cpu.Machine - step.Cpu.Service - step.Cpu.Bench, 3),
                    ServiceWait = Math.Round(step.Cpu.ServiceWait, 3),
                    LinesPerSecond = N(step.LinesPerSecond),
                    MsPerLine = N(step.MsPerLine),
                    RssMiB = Mb(step.Rss),
                    RssPerProcessMiB = [.. step.RssPerProcess.Select(Mb)],
                    ChannelsProbeP50Ms = N(Percentile(probes, 50)),
                    ChannelsProbeMaxMs = N(probes.DefaultIfEmpty(double.NaN).Max()),
                };
            })],
        };
    }

    private string ShutdownText()
    {
        if (!ShutdownAttempted || Shutdown.Count == 0) return "not reached (killed)";
        string One(TimeSpan? exited) => exited is { } t ? F(t.TotalSeconds, "0.0") + " s" : "did not exit in 20 s: killed";
        return Several ? string.Join(" / ", Shutdown.Select(s => $"{s.Name} {One(s.Exited)}")) : One(Shutdown[0].Exited);
    }

    private static string MachineMemory()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            var kb = long.Parse(line["MemTotal:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            return $"{kb / 1024 / 1024.0:0.0} GiB RAM";
        }
        catch (IOException)
        {
            return "RAM unknown";
        }
    }
}
