using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Focus.LoadBench;
using static Focus.LoadBench.Stats;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

if (args is ["compare", .. var files])
{
    if (files.Length == 0)
    {
        Console.Error.WriteLine("compare needs the --json files of the runs");
        return 2;
    }
    Console.WriteLine(Comparison.ToMarkdown([.. files.Select(Comparison.Load)]));
    return 0;
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (HelpRequested)
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

var repo = options.RepoRoot ?? FindRepoRoot(Directory.GetCurrentDirectory()) ?? FindRepoRoot(AppContext.BaseDirectory)
    ?? throw new InvalidOperationException("Focus.Orleans.sln not found upwards; pass --repo");
// quoted as a shell would need it (a connection string holds ';' and spaces), so the line can be pasted
var command = "dotnet run -c Release --project bench/Focus.LoadBench -- "
    + string.Join(' ', args.Select(a => a.Any(c => c is ' ' or ';' or '"' or '\'' or '$' or '&' or '|') ? $"'{a.Replace("'", "'\\''", StringComparison.Ordinal)}'" : a));
var loadBefore = Proc.LoadAverage();
var started = DateTimeOffset.UtcNow;

IDeployment service = options.ClusterSilos > 0 ? new ClusterProcesses(repo, options) : new SingleSilo(repo, options);
using var exit = new CancellationTokenSource();
// Ctrl-C and SIGTERM (a script's trap, `timeout`) take the same way out as a failure: the finally below
// stops every child. ProcessExit is the last resort should the runtime exit some other way.
Console.CancelKeyPress += (_, e) => { e.Cancel = true; exit.Cancel(); };
using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; exit.Cancel(); });
AppDomain.CurrentDomain.ProcessExit += (_, _) => service.KillNow();

var report = new Report(options, command, loadBefore, started)
{
    Subject = service.Subject,
    Label = service.Label,
    Description = service.Description,
};
Func<int> metricsFailures = () => 0;
try
{
    if (options.Build)
    {
        if (options.ClusterSilos > 0) ServiceProcess.Build(repo, "Silo", "Gateway");
        else ServiceProcess.Build(repo, "Silo");
    }

    using var http = new HttpClient(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = 256,
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
    }) { Timeout = TimeSpan.FromSeconds(60) };
    var startWatch = Stopwatch.StartNew();
    await service.StartAsync(http, exit.Token);
    report.StartupSeconds = startWatch.Elapsed.TotalSeconds;
    report.Commands = [.. service.Processes.Select(p => (p.Name, p.CommandLine))];
    report.ProcessNames = [.. service.Processes.Select(p => p.Name)];
    report.SiloNames = [.. service.Silos.Select(p => p.Name)];
    Log($"ready in {report.StartupSeconds:0.0} s");
    var pids = service.Pids;
    long Rss() => pids.Sum(Proc.RssBytes);
    long[] RssEach() => [.. pids.Select(Proc.RssBytes)];
    int Threads() => pids.Sum(Proc.Threads);

    using var client = new FocusClient(http, service.BaseAddress, [.. service.Silos.Select(s => s.BaseAddress)]);
    metricsFailures = () => client.MetricsFailures;
    var channelsJson = await http.GetStringAsync(new Uri(service.BaseAddress, "channels"), exit.Token);
    using (var doc = JsonDocument.Parse(channelsJson))
    {
        report.LowestChannel = doc.RootElement.GetProperty("lowest_channel").GetInt32();
        report.HighestChannel = doc.RootElement.GetProperty("highest_channel").GetInt32();
    }
    int ChannelMin(int k, int count)
    {
        var span = report.HighestChannel - report.LowestChannel + 1 - options.ChannelsPerJob;
        return report.LowestChannel + (count <= 1 ? 0 : (int)((long)k * span / (count - 1)));
    }

    // 1. the idle service (its CPU: what the runtimes cost with no job)
    var idleCpu = new CpuWindow(pids);
    await Task.Delay(TimeSpan.FromSeconds(3), exit.Token);
    report.IdleCpu = idleCpu.Stop();
    report.RssIdlePerProcess = RssEach();
    report.RssIdle = report.RssIdlePerProcess.Sum();
    report.ThreadsIdle = Threads();
    Log($"idle RSS {MiB(report.RssIdle)} MiB, {report.ThreadsIdle} threads");

    // 2. sequential: configure, time the first line on stream 0, delete
    for (var i = 0; i < options.FirstLineSample; i++)
    {
        var result = await client.ConfigureAsync(ChannelMin(i, options.FirstLineSample), options.ChannelsPerJob, exit.Token);
        var configuredAt = Stopwatch.GetTimestamp();
        report.ConfigureSequential.Add(result);
        if (result.Job is not { } job) continue;
        var (ms, error) = await client.TimeFirstLineAsync(job, configuredAt, TimeSpan.FromSeconds(10));
        if (ms is { } v)
        {
            report.FirstLineSequential.Add(v);
            report.ConfigureToLineSequential.Add(result.Milliseconds + v);
        }
        else report.FirstLineErrors.Add($"sequential {job.Id}: {error}");
        client.Forget(job);
        var (status, _) = await client.DeleteAsync(job.Id, exit.Token);
        if (status != 200) report.DeleteErrors.Add($"{job.Id}: {status}");
    }
    Log($"sequential: configure {Summary(report.ConfigureSequential.Where(r => r.Job is not null).Select(r => r.Milliseconds).ToArray())} ms, first line {Summary(report.FirstLineSequential, false)} ms");
    await Task.Delay(TimeSpan.FromSeconds(3), exit.Token);
    report.RssAfterSequential = Rss();
    report.ThreadsAfterSequential = Threads();

    // 3. load: `clients` concurrent clients create `jobs` live jobs; a sample of them is read at once
    var jobs = new ConcurrentBag<(int Index, Job Job)>();
    var loadResults = new ConcurrentBag<ConfigureResult>();
    var firstLineTasks = new ConcurrentBag<Task<(double? Milliseconds, string? Error)>>();
    var sampleEvery = Math.Max(1, options.Jobs / Math.Max(1, options.FirstLineSample));
    var next = -1;
    var loadWatch = Stopwatch.StartNew();
    var loadCpu = new CpuWindow(pids);
    await Task.WhenAll(Enumerable.Range(0, options.Clients).Select(_ => Task.Run(async () =>
    {
        while (Interlocked.Increment(ref next) is var k && k < options.Jobs)
        {
            var result = await client.ConfigureAsync(ChannelMin(k, options.Jobs), options.ChannelsPerJob, exit.Token);
            var configuredAt = Stopwatch.GetTimestamp();
            loadResults.Add(result);
            if (result.Job is not { } job) continue;
            jobs.Add((k, job));
            if (k % sampleEvery == 0 && firstLineTasks.Count < options.FirstLineSample)
                firstLineTasks.Add(client.TimeFirstLineAsync(job, configuredAt, TimeSpan.FromSeconds(10)));
        }
    })));
    report.LoadSeconds = loadWatch.Elapsed.TotalSeconds;
    report.LoadCpu = loadCpu.Stop();
    report.ConfigureLoad.AddRange(loadResults);
    foreach (var (ms, error) in await Task.WhenAll(firstLineTasks))
        if (ms is { } v) report.FirstLineLoad.Add(v); else report.FirstLineErrors.Add($"under load: {error}");
    var active = jobs.OrderBy(j => j.Index).Select(j => j.Job).ToList();
    report.JobsCreated = active.Count;
    report.JobsPerSilo = [.. (await client.MetricsPerSiloAsync("focus_jobs_running")).Select(m => m.GetValueOrDefault("focus_jobs_running", double.NaN))];
    Log($"load: {active.Count}/{options.Jobs} jobs in {report.LoadSeconds:0.0} s, configure {Summary(report.ConfigureLoad.Where(r => r.Job is not null).Select(r => r.Milliseconds).ToArray())} ms, first line {Summary(report.FirstLineLoad, false)} ms");

    // 4. memory with every job unread
    foreach (var job in active) client.Forget(job);
    await Task.Delay(TimeSpan.FromSeconds(5), exit.Token);
    report.RssUnread = Rss();
    report.ThreadsUnread = Threads();
    report.ThreadNamesUnread = [.. pids.SelectMany(Proc.ThreadNames).GroupBy(t => t.Name)
        .Select(g => (g.Key, g.Sum(t => t.Count))).OrderByDescending(t => t.Item2)];
    if (options.Host == "process")
        report.AnalyzerRssUnread.AddRange(pids.SelectMany(Proc.AnalyzerChildren).Select(pid => Proc.RssBytes(pid) / 1048576.0));
    report.MetricsUnread = await client.MetricsAsync("focus_jobs_running", "focus_queue_depth");
    Log($"{active.Count} unread jobs: RSS {MiB(report.RssUnread)} MiB, {report.ThreadsUnread} threads");

    // 5. read steps: n jobs each read by one client on stream 0
    foreach (var n in options.Read ? options.EffectiveSteps.Where(n => n <= active.Count).DefaultIfEmpty(active.Count).Distinct() : [])
    {
        if (n == 0) break;
        var step = new ReadStep(n);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(exit.Token);
        var readers = active.Take(n).Select(j => new LineReader(j, client)).ToList();
        var running = readers.Select(r => Task.Run(() => r.RunAsync(stop.Token))).ToList();
        await Task.Delay(TimeSpan.FromSeconds(options.WarmupSeconds), exit.Token);
        var emittedBefore = (await client.MetricsAsync("focus_lines_emitted_total")).GetValueOrDefault("focus_lines_emitted_total", double.NaN);
        var cpu = new CpuWindow(pids);
        var windowStart = Stopwatch.GetTimestamp();
        foreach (var r in readers) r.OpenWindow(windowStart);
        // the gateway's responsiveness while the jobs are read: GET /channels once a second
        var probeUntil = Stopwatch.GetTimestamp() + (long)(options.ReadSeconds * Stopwatch.Frequency);
        var probing = Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < probeUntil && !stop.IsCancellationRequested)
            {
                var ms = await client.ProbeAsync("channels");
                lock (step.ProbeMs) step.ProbeMs.Add(ms);
                await Task.Delay(TimeSpan.FromSeconds(1), exit.Token);
            }
        });
        await Task.Delay(TimeSpan.FromSeconds(options.ReadSeconds), exit.Token);
        var windowEnd = Stopwatch.GetTimestamp();
        foreach (var r in readers) r.CloseWindow(windowEnd);
        step.Cpu = cpu.Stop();
        var window = Stopwatch.GetElapsedTime(windowStart, windowEnd).TotalSeconds;
        var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var r in readers)
        {
            var expected = r.Job.ExpectedLinesPerSecond * window;
            step.Readers.Add(new ReaderResult(r.LinesInWindow / window, r.Job.ExpectedLinesPerSecond, r.JumpsInWindow, r.MissingInWindow,
                r.LastTimestampMs > 0 ? nowMs - r.LastTimestampMs : double.NaN, r.MaxLagMs,
                r.LinesInWindow >= 0.95 * expected && r.JumpsInWindow == 0 && r.Error is null, r.Error));
        }
        await probing;
        step.RssPerProcess = RssEach();
        step.Rss = step.RssPerProcess.Sum();
        step.Threads = Threads();
        step.Metrics = await client.MetricsAsync("focus_jobs_running", "focus_queue_depth", "focus_gaps_total", "focus_lines_emitted_total");
        step.LinesEmitted = step.Metrics.GetValueOrDefault("focus_lines_emitted_total", double.NaN) - emittedBefore;
        report.Steps.Add(step);
        Log($"read {n}: {service.Subject} {F(step.Cpu.Service)} cores{(pids.Length > 1 ? $" ({string.Join(" / ", step.Cpu.PerProcess.Select(v => F(v)))})" : "")}, keep up {step.KeepUp}/{n}, lines/s median {F(step.MedianRate, "0.0")}, jumps {step.Readers.Count(r => r.Jumps > 0)} readers, {service.Subject} waited {F(step.Cpu.ServiceWait)} cores, {F(step.LinesPerSecond, "0")} lines/s emitted ({F(step.MsPerLine, "0.000")} ms CPU/line), RSS {MiB(step.Rss)} MiB, queue {step.Metrics.GetValueOrDefault("focus_queue_depth")}, load average {Proc.LoadAverage()}");
        await stop.CancelAsync();
        await Task.WhenAll(running);
        foreach (var job in active.Take(n)) client.Forget(job);
        await Task.Delay(TimeSpan.FromSeconds(2), exit.Token);
    }

    // 6. cleanup: delete every job, the ports must be free again
    var deleteWatch = Stopwatch.StartNew();
    var queue = new ConcurrentQueue<Job>(active);
    var deletes = new ConcurrentBag<(string Id, int Status, double Ms)>();
    await Task.WhenAll(Enumerable.Range(0, options.Clients).Select(_ => Task.Run(async () =>
    {
        while (queue.TryDequeue(out var job))
        {
            var (status, ms) = await client.DeleteAsync(job.Id, exit.Token);
            deletes.Add((job.Id, status, ms));
        }
    })));
    report.DeleteSeconds = deleteWatch.Elapsed.TotalSeconds;
    report.DeleteMs.AddRange(deletes.Select(d => d.Ms));
    report.DeleteErrors.AddRange(deletes.Where(d => d.Status != 200).Select(d => $"{d.Id}: {d.Status}"));
    await Task.Delay(TimeSpan.FromSeconds(2), exit.Token);
    var sample = active.Where((_, i) => i % Math.Max(1, active.Count / 25) == 0).ToList();
    foreach (var job in sample)
    {
        var free = ServiceProcess.IsFree(job.Port) && await RefusesAsync(job.Port);
        if (free) report.PortsFree++; else report.PortsBusy.Add(job.Port);
    }
    report.PortsChecked = sample.Count;
    try
    {
        using var doc = JsonDocument.Parse(await http.GetStringAsync(new Uri(service.BaseAddress, "jobs"), exit.Token));
        report.JobsListedAfter = doc.RootElement.GetProperty("jobs").GetArrayLength();
    }
    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
    {
        report.JobsListedAfter = -1;
    }
    report.MetricsAfter = await client.MetricsAsync("focus_jobs_running", "focus_queue_depth");
    await Task.Delay(TimeSpan.FromSeconds(3), exit.Token);
    report.RssAfter = Rss();
    report.RssPeakPerProcess = [.. pids.Select(Proc.HwmBytes)];
    report.RssPeak = report.RssPeakPerProcess.Sum();
    report.ThreadsAfter = Threads();
    await Task.Delay(TimeSpan.FromSeconds(25), exit.Token); // idle thread-pool threads retire after ~20 s
    report.ThreadsLater = Threads();
    Log($"deleted {deletes.Count} in {report.DeleteSeconds:0.0} s; ports free {report.PortsFree}/{report.PortsChecked}; /jobs lists {report.JobsListedAfter}; RSS {MiB(report.RssAfter)} MiB, {report.ThreadsAfter} threads");

    // 7. stop
    report.ShutdownAttempted = true;
    report.Shutdown = await service.StopAsync(TimeSpan.FromSeconds(20));
}
catch (OperationCanceledException) when (exit.IsCancellationRequested)
{
    Console.Error.WriteLine("interrupted");
    return 130;
}
catch (Exception ex)
{
    Console.Error.WriteLine($"bench failed: {ex}");
    report.Failure = ex.Message;
}
finally
{
    report.SiloProblemCount = service.ProblemCount;
    report.SiloProblemKinds = [.. service.Processes.SelectMany(p => p.ProblemKinds.Select(k => (p.Name, k.Count, k.Example)))];
    report.SiloLog = service.Processes.Count == 0 ? null : string.Join(", ", service.Processes.Select(p => p.LogPath));
    await service.DisposeAsync(); // kills every child that still runs
    report.Orphans = service.Orphans();
}

report.LoadAfter = Proc.LoadAverage();
report.MetricsFailures = metricsFailures();
var markdown = report.ToMarkdown();
Console.WriteLine(markdown);
if (options.OutFile is { } outFile) await File.AppendAllTextAsync(outFile, markdown + Environment.NewLine);
if (options.JsonFile is { } jsonFile) await File.WriteAllTextAsync(jsonFile, JsonSerializer.Serialize(report.ToSummary(), Comparison.Json));
return report.Failure is null ? 0 : 1;

static void Log(string message) => Console.Error.WriteLine($"{DateTime.Now:HH:mm:ss} {message}");

static string? FindRepoRoot(string start)
{
    for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "Focus.Orleans.sln"))) return dir.FullName;
    return null;
}

static async Task<bool> RefusesAsync(int port)
{
    using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    try
    {
        await socket.ConnectAsync("127.0.0.1", port).WaitAsync(TimeSpan.FromSeconds(2));
        return false;
    }
    catch (SocketException)
    {
        return true;
    }
    catch (TimeoutException)
    {
        return false;
    }
}
